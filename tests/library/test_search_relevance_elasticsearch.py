"""Relevance on Elasticsearch: the same weights as the embedded engines' scorer in the request
(field boosts, a phrase boost in the title, an exact-title boost), and on osmem-server the
known-item order the embedded engines give."""

import pytest

from library.search import ranking
from library.search.documents import SearchDocument
from library.search.engines.elasticsearch import (
    FIELD_BOOSTS,
    ElasticsearchEngine,
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


def document(pk: int, title: str, **extra) -> SearchDocument:
    values = {
        "id": pk,
        "title": title,
        "title_sort": " ".join(title.casefold().replace(":", " ").replace("?", " ").split()),
        "authors": [],
        "subjects": [],
        "subject_ids": [],
        "keywords": [],
        "publisher": "",
        "board": [],
        "identifiers": [],
        "body": "",
        "year": 2015,
        "date_added": "2024-01-01",
        "record_type": "report",
        "nation": "england",
        "review_type": "",
        "board_id": None,
        "availability": "online",
        "section_id": 1,
    }
    values.update(extra)
    return SearchDocument(**values)


KNOWN_ITEMS = [
    document(1, "What do serious case reviews achieve?", authors=["Sidebotham, P."], year=2012),
    document(2, "Serious case reviews: what do they achieve in practice and what next", year=2020),
    document(3, "Achieve more: what do serious case reviews tell us", year=2021),
    document(4, "Serious case reviews", body="What do they achieve?", year=2022),
]


@pytest.fixture(scope="module")
def osmem():
    osmem_server = pytest.importorskip("osmem_server")
    try:
        server = osmem_server.OsmemServer.start(japanese=False)
    except osmem_server.OsmemError as error:
        pytest.skip(f"osmem-server cannot run here: {error}")
    yield server
    server.close()


def test_the_exact_title_comes_first_on_osmem(osmem):
    clone = osmem.clone()
    try:
        engine = ElasticsearchEngine(
            clone.url, index="shelfmark-relevance", plain_json=True, synonyms=[]
        )
        engine.rebuild(KNOWN_ITEMS, total=len(KNOWN_ITEMS))
        query = "What do serious case reviews achieve"
        result = engine.search(parse_query(query).tree, SearchParams(q=query), NOBODY)
        assert result.ids[0] == 1 and set(result.ids) == {1, 2, 3, 4}
    finally:
        clone.close()
