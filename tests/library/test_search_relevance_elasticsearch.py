"""Relevance on Elasticsearch: the same weights as the embedded engines' scorer in the request
(field boosts, a phrase boost in the title, an exact-title boost). The order itself (the judged
set, exact titles first, identifiers) is held on osmem-server by test_search_relevance.py,
which runs on every engine."""

from library.search import ranking
from library.search.engines.elasticsearch import (
    FIELD_BOOSTS,
    build_search,
    compile_node,
)
from library.search.known_item import identifier_tree
from library.search.params import SearchParams
from library.search.query import Term, parse_query
from library.visibility import RecordFilter

NOBODY = RecordFilter()
# The scorer's field names as the Elasticsearch mapping calls them.
MAPPED = {
    "title": "title",
    "subject": "subjects",
    "keyword": "keywords",
    "author": "authors",
    "publisher": "publisher",
    "board": "board",
    "identifier": "identifiers",
    "body": "body",
}


def request(q: str, **options) -> dict:
    params = SearchParams(q=q, **options)
    return build_search(parse_query(q).tree, params, NOBODY).to_dict()


def test_field_boosts_are_the_scorers_weights():
    assert {
        MAPPED[name]: weight for name, weight in ranking.FIELD_WEIGHTS.items() if name in MAPPED
    } == FIELD_BOOSTS
    boosts = compile_node(Term("neglect")).to_dict()["multi_match"]["fields"]
    assert boosts[0] == "title^10" and "body^0.5" in boosts


def test_relevance_adds_a_title_phrase_and_an_exact_title_boost():
    should = request("What do serious case reviews achieve?")["query"]["bool"]["should"]
    phrase = next(clause["match_phrase"]["title"] for clause in should if "match_phrase" in clause)
    exact = next(clause["term"]["title_sort"] for clause in should if "term" in clause)
    assert phrase["query"] == "What do serious case reviews achieve?" and phrase["slop"] == 1
    assert exact["value"] == "what do serious case reviews achieve"
    assert exact["boost"] > phrase["boost"] > FIELD_BOOSTS["title"]


def test_boosts_only_order_relevance_and_never_narrow_it():
    assert "should" not in request("serious case reviews", sort="newest")["query"]["bool"]
    assert "should" not in request("neglect")["query"]["bool"]  # one word: nothing to add
    body = request("serious case reviews")["query"]["bool"]
    assert body.get("minimum_should_match") in (None, 0) and body["must"]


def test_a_bare_identifier_is_searched_as_one():
    assert identifier_tree("978-1-84905-084-5") == Term("9781849050845", "isbn")
    assert identifier_tree("https://doi.org/10.1093/BJSW/bcq084") == Term(
        "10.1093/bjsw/bcq084", "doi"
    )
    assert identifier_tree("1745-8633") == Term("1745-8633", "isbn")
    assert identifier_tree("serious case review") is None
    assert identifier_tree("2016") is None
