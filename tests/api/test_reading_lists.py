"""GET /api/v3/reading-lists/ and /reading-lists/{id}: sections, entries and hidden records."""

import datetime
import re

import pytest

from tests.api.conftest import bearer, restrict_to_partners
from tests.factories.readinglists import (
    ReadingListIndexPageFactory,
    ReadingListPageFactory,
    citation_entry,
    record_entry,
    section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(home_page, catalogue):
    index = ReadingListIndexPageFactory(parent=home_page)
    neglect_list = ReadingListPageFactory(
        parent=index,
        title="Neglect: a reading list",
        compiled=datetime.date(2013, 11, 1),
        topics=[catalogue["neglect"]],
        sections=[
            section(
                "Guidance",
                [
                    record_entry(catalogue["guidance"], annotation="<p>Start here.</p>"),
                    record_entry(catalogue["secret"], annotation="<p>For partners.</p>"),
                    citation_entry(
                        "Working together to safeguard children",
                        authors="Department for Education",
                        year=2018,
                        annotation="<p>Statutory guidance.</p>",
                    ),
                ],
                introduction="<p>Official guidance first.</p>",
            ),
            section("Research", [record_entry(catalogue["report"])]),
        ],
    )
    online_list = ReadingListPageFactory(
        parent=index,
        title="Online safety: a reading list",
        compiled=datetime.date(2015, 3, 1),
        topics=[catalogue["online"]],
    )
    partners_list = ReadingListPageFactory(
        parent=index, title="Panel reading (partners)", compiled=datetime.date(2016, 1, 1)
    )
    restrict_to_partners(partners_list)
    return {"neglect": neglect_list, "online": online_list, "partners": partners_list}


def test_reading_lists_newest_first_with_compiled_date_subjects_and_page_url(client, lists):
    response = client.get("/api/v3/reading-lists/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == [
        "Online safety: a reading list",
        "Neglect: a reading list",
    ]
    neglect = body["items"][1]
    assert neglect["compiled"] == "2013-11-01"
    assert [subject["slug"] for subject in neglect["subjects"]] == ["neglect"]
    assert neglect["url"] == "http://testserver/reading-lists/neglect-a-reading-list/"
    assert client.get(neglect["url"]).status_code == 200


def test_reading_lists_by_topic_and_restricted_lists_only_for_partners(
    client, lists, partner_token
):
    by_topic = client.get("/api/v3/reading-lists/", {"topic": "online-safety"}).json()
    assert [item["title"] for item in by_topic["items"]] == ["Online safety: a reading list"]
    partner = client.get("/api/v3/reading-lists/", headers=bearer(partner_token)).json()
    assert partner["count"] == 3
    assert client.get(f"/api/v3/reading-lists/{lists['partners'].pk}").status_code == 404
    assert (
        client.get(
            f"/api/v3/reading-lists/{lists['partners'].pk}", headers=bearer(partner_token)
        ).status_code
        == 200
    )


def test_reading_list_sections_and_entries_in_order_with_annotations_and_record_links(
    client, lists, catalogue
):
    body = client.get(f"/api/v3/reading-lists/{lists['neglect'].pk}").json()
    assert [section["heading"] for section in body["sections"]] == ["Guidance", "Research"]
    guidance = body["sections"][0]
    # Stored as the admin editor stores it, with its block keys.
    assert re.sub(r' data-block-key="\w+"', "", guidance["introduction"]) == (
        "<p>Official guidance first.</p>"
    )
    first, cited = guidance["entries"]  # the restricted record's entry is left out
    assert first["kind"] == "record" and "Start here." in first["annotation"]
    assert first["record"]["id"] == catalogue["guidance"].pk
    assert first["record"]["api_url"].endswith(
        f"/api/v3/catalogue/records/{catalogue['guidance'].pk}"
    )
    assert cited["kind"] == "citation" and cited["record"] is None
    assert cited["title"] == "Working together to safeguard children"
    assert (cited["authors"], cited["year"]) == (["Department for Education"], 2018)
    # An entry without its own annotation shows the record's abstract.
    [research] = body["sections"][1]["entries"]
    assert research["annotation"] == "<p>Summarises learning for practitioners.</p>"
    assert "For partners" not in str(body)


def test_partners_see_entries_for_records_restricted_to_them(client, lists, partner_token):
    body = client.get(
        f"/api/v3/reading-lists/{lists['neglect'].pk}", headers=bearer(partner_token)
    ).json()
    titles = [entry["title"] for entry in body["sections"][0]["entries"]]
    assert "Neglect panel minutes (partners only)" in titles


def test_missing_reading_list_is_a_404_problem(client, lists):
    response = client.get("/api/v3/reading-lists/424242")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("There is no reading list")
