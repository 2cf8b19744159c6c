"""Recommendations across reviews: the audit page with its counts, and its CSV."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def audit(client, repository, query=""):
    response = client.get(repository.learning.url + "recommendations/" + query)
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(client, repository, query=""):
    response = client.get(repository.learning.url + "recommendations/csv/" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_audit_lists_every_visible_recommendation_with_counts(client, repository):
    page = audit(client, repository)
    assert "4 recommendations" in page
    assert "Secret wombat recommendation." not in page
    assert ">Police</a> (2)" in page  # Child X and Child Z; the hidden one is not counted
    assert ">Health visiting</a> (1)" in page
    assert ">England</a> (3)" in page and ">Wales</a> (1)" in page
    assert ">2016</a> (2)" in page and ">2014</a> (1)" in page
    assert ">Neglect</a> (3)" in page


def test_the_audit_filters_by_theme_including_narrower_and_by_agency_and_nation(client, repository):
    neglect = audit(client, repository, "?theme=neglect")
    assert "3 recommendations" in neglect and "Pools need lifeguards." not in neglect
    police = audit(
        client,
        repository,
        "?agency=" + str(repository.reviews["z"].recommendations.first().agency_id),
    )
    assert "2 recommendations" in police
    wales = audit(client, repository, "?nation=wales&year=2015")
    assert "1 recommendation" in wales and "Schools should record absence." in wales


def test_unknown_choices_give_a_message_not_an_error(client, repository):
    page = audit(client, repository, "?theme=nope&agency=x&nation=mars&year=0")
    assert "There is no theme “nope”" in page
    assert "That agency is not known" in page
    assert "4 recommendations" in page


def test_the_csv_has_a_row_per_recommendation_the_reader_may_see(client, repository):
    rows = csv_rows(client, repository)
    assert rows[0][:3] == ["Year", "Month", "Nation"]
    texts = [row[-1] for row in rows[1:]]
    assert sorted(texts) == sorted(
        [
            "Health visitors should see fathers.",
            "Police should share referrals.",
            "Schools should record absence.",
            "Pools need lifeguards.",
        ]
    )
    first = rows[1]
    assert first[0] == "2016" and first[1] == "March" and first[2] == "England"
    assert first[5].startswith("http://testserver/")


def test_the_csv_follows_the_filters(client, repository):
    rows = csv_rows(client, repository, "?nation=wales")
    assert [row[-1] for row in rows[1:]] == ["Schools should record absence."]


def test_count_links_narrow_the_current_choice(client, repository):
    page = audit(client, repository, "?nation=england")
    assert 'href="?nation=england&amp;year=2016"' in page
