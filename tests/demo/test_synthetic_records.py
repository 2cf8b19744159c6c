"""The synthetic record generator: the right number of live records, a valid tree, repeatable."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from demo.synthetic_records import RecordPlanner, build_vocabulary
from library.models import CaseReview, CatalogueRecord, PreparedRecordDetail

pytestmark = pytest.mark.django_db


def test_generates_live_records_in_a_valid_tree(client, home_page):
    call_command(
        "generate_demo_records",
        count=120,
        seed=4,
        batch_size=50,
        no_index=True,
        stdout=io.StringIO(),
    )
    assert CatalogueRecord.objects.live().count() == 120
    assert all(not problems for problems in Page.find_problems())
    reviews = CaseReview.objects.all()
    assert reviews.exists() and reviews.count() < 20
    assert not CaseReview.objects.exclude(path__startswith=reviews[0].get_parent().path).exists()
    record = CatalogueRecord.objects.exclude(record_type="case-review").first()
    assert record.contributors.exists() and record.subjects.exists()
    assert client.get(record.get_url()).status_code == 200
    assert client.get(reviews[0].get_url()).status_code == 200
    assert client.get("/library/").status_code == 200

    call_command("generate_demo_records", count=30, seed=5, no_index=True, stdout=io.StringIO())
    assert CatalogueRecord.objects.count() == 150
    assert all(not problems for problems in Page.find_problems())


def plan(seed, count=200):
    planner = RecordPlanner(seed, ["Neglect", "Sexual abuse"], {"england": [1]}, ["Police"])
    return [planner.plan(case_review=False) for _n in range(count)]


def test_the_same_seed_plans_the_same_records_and_another_seed_does_not():
    assert plan(9) == plan(9)
    assert [r.title for r in plan(9)] != [r.title for r in plan(10)]


def test_records_look_like_the_field():
    records = plan(1, count=500)
    key_words = ("child", "abuse", "neglect", "protection", "safeguarding", "review")
    with_key_word = [r for r in records if any(w in r.title.lower() for w in key_words)]
    assert len(with_key_word) > 0.8 * len(records)
    assert len({r.record_type for r in records}) == 6
    assert min(r.publication_year for r in records) < 1980
    vocabulary = set(build_vocabulary())
    used = {w for r in records for w in r.abstract.lower().strip("<p>/").split()} & vocabulary
    assert 500 < len(used) < len(vocabulary)


def test_generated_records_are_searchable_and_their_api_details_prepared(client, home_page):
    call_command("generate_demo_records", count=40, seed=6, stdout=io.StringIO())
    live = CatalogueRecord.objects.live()
    assert PreparedRecordDetail.objects.count() == live.count() == 40
    found = client.get("/api/v3/catalogue/search").json()
    assert found["count"] == 40
    record = client.get(found["items"][0]["api_url"]).json()
    assert record["citation"]["text"] and record["title"] == found["items"][0]["title"]
