"""GET /api/v3/catalogue/search and /catalogue/new: the envelope, every parameter, facets."""

import datetime

import pytest

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

SEARCH = "/api/v3/catalogue/search"


def search(client, headers=None, **params):
    response = client.get(SEARCH, params, headers=headers or {})
    assert response.status_code == 200, response.content
    return response.json()


def titles(body) -> list[str]:
    return [item["title"] for item in body["items"]]


def facet(body, name) -> dict[str, int]:
    return {value["value"]: value["count"] for value in body["facets"][name]}


def test_search_answers_in_wagtails_envelope_with_facets_and_understood_query(client, catalogue):
    body = search(client, q="neglect")
    assert body["count"] == 3
    first = body["items"][0]
    assert set(first) >= {"id", "title", "authors", "year", "record_type", "url", "highlight"}
    guidance = next(item for item in body["items"] if item["id"] == catalogue["guidance"].pk)
    assert guidance["authors"] == ["Munro, E. R.", "Lushey, C."]
    assert guidance["year"] == 2019
    assert guidance["url"].startswith("http://testserver/library/")
    assert guidance["api_url"] == f"http://testserver/api/v3/catalogue/records/{guidance['id']}"
    assert facet(body, "record_type") == {"guidance": 1, "report": 1, "case-review": 1}
    assert facet(body, "subject")["neglect"] == 3
    assert facet(body, "year") == {"2010": 3}
    assert facet(body, "nation") == {"england": 1}
    # The thesaurus's use-for terms are part of how the query was read.
    assert "child neglect" in body["understood_query"]
    assert body["suggestion"] == ""
    assert (body["offset"], body["limit"]) == (0, 20)


def test_restricted_records_are_counted_and_listed_only_for_partners(
    client, catalogue, partner_token
):
    anonymous = search(client, q="neglect")
    partner = search(client, headers=bearer(partner_token), q="neglect")
    assert "Neglect panel minutes (partners only)" not in titles(anonymous)
    assert "Neglect panel minutes (partners only)" in titles(partner)
    assert facet(partner, "subject")["neglect"] == facet(anonymous, "subject")["neglect"] + 1


def test_without_q_every_visible_record_is_listed_newest_first(client, catalogue):
    body = search(client)
    assert body["count"] == 4
    # Newest by year of publication, as on the site.
    assert titles(body) == [
        "Neglect: recognising the signs in babies",
        "Serious case review: Baby T",
        "Neglect in adolescence",
        "Keeping children safe online",
    ]


FILTER_CASES = [
    ({"type": "book"}, {"Keeping children safe online"}),
    (
        {"type": ["book", "guidance"]},
        {"Keeping children safe online", "Neglect: recognising the signs in babies"},
    ),
    ({"subject": "neglect-of-babies"}, {"Neglect: recognising the signs in babies"}),
    ({"nation": "england"}, {"Serious case review: Baby T"}),
    ({"review_type": "serious-case-review"}, {"Serious case review: Baby T"}),
    ({"availability": "in-library"}, set()),
    (
        {"year_from": "2015", "year_to": "2016"},
        {"Neglect in adolescence", "Serious case review: Baby T"},
    ),
    ({"q": "neglect", "year_from": "2017"}, {"Neglect: recognising the signs in babies"}),
]


def test_each_filter_narrows_the_results(client, catalogue):
    for params, expected in FILTER_CASES:
        assert set(titles(search(client, **params))) == expected, params


def test_subject_by_id_includes_narrower_terms_and_board_filters_by_id(client, catalogue):
    by_id = search(client, subject=str(catalogue["neglect"].pk))
    assert by_id["count"] == 3
    assert [
        value["selected"] for value in by_id["facets"]["subject"] if value["value"] == "neglect"
    ] == [True]
    by_board = search(client, board=str(catalogue["board"].pk))
    assert titles(by_board) == ["Serious case review: Baby T"]


def test_sort_limit_and_offset_page_through_in_a_stable_order(client, catalogue):
    by_title = search(client, sort="title")
    assert titles(by_title) == sorted(titles(by_title))
    oldest = search(client, sort="oldest", limit=2)
    assert titles(oldest)[0] == "Keeping children safe online" and len(oldest["items"]) == 2
    second_page = search(client, sort="oldest", limit=2, offset=2)
    assert second_page["count"] == 4
    assert not set(titles(oldest)) & set(titles(second_page))


def test_years_the_wrong_way_round_are_swapped_with_a_message(client, catalogue):
    body = search(client, year_from="2016", year_to="2015")
    assert body["count"] == 2
    assert any("swapped" in message for message in body["messages"])


def test_a_misspelt_query_gets_a_suggestion(client, catalogue):
    assert search(client, q="neglcet")["suggestion"] == "neglect"


INVALID_CASES = [
    ({"type": "pamphlet"}, ["query", "type", 0]),
    ({"limit": "101"}, ["query", "limit"]),
    ({"limit": "0"}, ["query", "limit"]),
    ({"offset": "-1"}, ["query", "offset"]),
    ({"year_from": "twenty"}, ["query", "year_from"]),
    ({"sort": "random"}, ["query", "sort"]),
    ({"board": "x"}, ["query", "board", 0]),
    ({"subject": "no such subject"}, ["query", "subject", 0]),
    ({"q": "x" * 501}, ["query", "q"]),
]


def test_invalid_parameters_are_a_422_problem_naming_the_parameter(client, catalogue):
    for params, location in INVALID_CASES:
        response = client.get(SEARCH, params)
        assert response.status_code == 422, params
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 422 and problem["detail"]
        assert [error["loc"] for error in problem["errors"]] == [location], params
        assert all(error["msg"] for error in problem["errors"])


def test_unknown_subjects_and_boards_match_nothing_and_say_so(client, catalogue):
    body = search(client, subject=["unknown-subject", "neglect"], board="999999")
    assert body["count"] == 0
    assert any("no subject “unknown-subject”" in message for message in body["messages"])
    assert any("no board with id 999999" in message for message in body["messages"])
    assert not any("“neglect”" in message for message in body["messages"])


def test_new_additions_since_a_date_newest_first(client, catalogue, partner_token):
    since = (datetime.date.today() - datetime.timedelta(days=5)).isoformat()
    response = client.get("/api/v3/catalogue/new", {"since": since})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert titles(body) == [
        "Serious case review: Baby T",
        "Neglect: recognising the signs in babies",
    ]
    partner = client.get("/api/v3/catalogue/new", {"since": since}, headers=bearer(partner_token))
    assert titles(partner.json())[0] == "Neglect panel minutes (partners only)"
    # Without `since`, the last 30 days.
    assert client.get("/api/v3/catalogue/new").json()["count"] == 3
    paged = client.get("/api/v3/catalogue/new", {"limit": 1, "offset": 1}).json()
    assert titles(paged) == ["Neglect: recognising the signs in babies"]
    for since in ("last week", "0", "2024-02-30"):
        assert client.get("/api/v3/catalogue/new", {"since": since}).status_code == 422


def test_subjects_list_the_thesaurus_with_relations(client, catalogue):
    response = client.get("/api/v3/subjects/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    neglect = body["items"][0]
    assert neglect["name"] == "Neglect"
    assert neglect["use_for"] == ["child neglect", "CN"]
    assert [term["slug"] for term in neglect["narrower"]] == ["neglect-of-babies"]
    assert [term["slug"] for term in neglect["related"]] == ["online-safety"]
    babies = body["items"][1]
    assert babies["broader"]["slug"] == "neglect"
    assert babies["search_url"].endswith("/api/v3/catalogue/search?subject=neglect-of-babies")
    assert [
        item["name"] for item in client.get("/api/v3/subjects/", {"offset": 2}).json()["items"]
    ] == ["Online safety"]
