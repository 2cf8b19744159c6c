"""/api/v3/learning/: briefings, nation lists and recommendations, visibility and caching."""

import pytest
from django.core.cache import cache

from tests.learning.conftest import HIDDEN_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roomy_rate_limits(settings):
    settings.SHELFMARK_API_RATE_LIMIT_ANONYMOUS = (10_000, 60)
    cache.clear()


def get(client, path, **headers):
    response = client.get("/api/v3/learning/" + path, headers=headers)
    assert response.status_code == 200, response.content[:300]
    return response


def test_briefings_list_their_theme_and_staleness(client, repository):
    answer = get(client, "briefings").json()
    assert answer["count"] == 1
    item = answer["items"][0]
    assert item["theme"]["slug"] == "neglect"
    assert item["reviews_added_since"] == 2
    assert item["pdf_url"].endswith("/pdf/")


def test_a_briefing_cites_and_counts_only_visible_reviews(client, repository):
    answer = get(client, f"briefings/{repository.briefing.pk}").json()
    assert answer["risk_factors"] == ["Missed health appointments", "Poor home conditions"]
    cited = answer["recommendations"][0]["reviews"]
    assert [review["title"] for review in cited] == ["Serious case review: Child X"]
    assert answer["reviews_on_theme"] == 3
    assert answer["reviews_per_year"] == [{"year": 2015, "count": 1}, {"year": 2016, "count": 2}]
    assert HIDDEN_TITLE not in str(answer)


def test_an_unknown_briefing_is_a_problem_not_found(client, repository):
    response = client.get("/api/v3/learning/briefings/999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_nation_list_has_the_yearly_list_fields_newest_first(client, repository):
    answer = get(client, "nations/england").json()
    assert [year["year"] for year in answer["years"]] == [2016, 2014]
    first = answer["years"][0]["reviews"]
    assert [review["child_pseudonym"] for review in first] == ["Child Y", "Child X"]
    child_x = first[1]
    assert child_x["published"] == "March 2016"
    assert child_x["model"] == "SCIE Learning Together"
    assert child_x["learning"] == ["Listen to what fathers say."]
    assert child_x["overview_report_url"].startswith("http://testserver/documents/")
    assert HIDDEN_TITLE not in str(answer)


def test_an_unknown_nation_is_refused_with_a_message(client, repository):
    response = client.get("/api/v3/learning/nations/atlantis")
    assert response.status_code == 422


def test_recommendations_with_counts_follow_the_filters(client, repository):
    answer = get(client, "recommendations").json()
    assert answer["count"] == 4
    assert {c["label"]: c["count"] for c in answer["by_agency"]} == {
        "Police": 2,
        "Health visiting": 1,
    }
    wales = get(client, "recommendations?nation=wales").json()
    assert [item["text"] for item in wales["items"]] == ["Schools should record absence."]
    assert client.get("/api/v3/learning/recommendations?theme=nope").status_code == 404


def test_an_unchanged_answer_is_not_sent_again(client, repository):
    first = get(client, "nations/england")
    again = client.get("/api/v3/learning/nations/england", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
