"""Every facet has a field in the query language, compiled to the same filter as the facet on
every engine (the searches below run on each, see `search_engine` in tests/conftest.py);
open year ranges; a field the parser does not know is reported with the known
ones."""

import pytest

from library.models import Availability, Nation, RecordType, ReviewType
from library.search import parse_search_params, search_catalogue
from library.search.engines.elasticsearch import build_search, compile_node, filter_clauses
from library.search.params import SearchParams
from library.search.query import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    And,
    FacetIs,
    Not,
    Term,
    YearRange,
    parse_query,
)
from library.visibility import RecordFilter
from tests.factories.home import make_site
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
)


@pytest.mark.parametrize(
    ("query", "tree", "understood"),
    [
        ("year:2015..", YearRange(2015, LATEST_YEAR), "year:2015.."),
        ("year:..2010", YearRange(EARLIEST_YEAR, 2010), "year:..2010"),
        ("nation:wales", FacetIs("nation", "wales"), "nation:wales"),
        ("type:report", FacetIs("record_type", "report"), "type:report"),
        (
            'review:"child practice review"',
            FacetIs("review_type", "child practice review"),
            'review:"child practice review"',
        ),
        ("availability:online", FacetIs("availability", "online"), "availability:online"),
        (
            "neglect -nation:england",
            And((Term("neglect"), Not(FacetIs("nation", "england")))),
            "neglect AND NOT nation:england",
        ),
    ],
)
def test_open_year_ranges_and_facet_fields_parse(query, tree, understood):
    parsed = parse_query(query)
    assert parsed.tree == tree
    assert parsed.understood == understood
    assert parsed.notes == []


def test_an_unknown_field_is_reported_with_the_fields_known():
    parsed = parse_query("colour:blue neglect")
    assert len(parsed.notes) == 1
    note = parsed.notes[0]
    assert note.startswith("colour: is not a field")
    for known in ("title:", "year:", "nation:", "type:", "review:", "availability:"):
        assert known in note


def test_facet_fields_compile_to_the_facets_filter_on_elasticsearch():
    for facet, value in [
        ("nation", "wales"),
        ("record_type", "report"),
        ("review_type", "serious-case-review"),
        ("availability", "online"),
    ]:
        as_filter = filter_clauses(SearchParams(filters={facet: [value]}), None)
        assert compile_node(FacetIs(facet, value)).to_dict() == as_filter[0].to_dict()


def test_an_open_year_range_is_a_range_query_on_elasticsearch():
    tree = parse_query("neglect year:2015..").tree
    body = build_search(tree, SearchParams(q="neglect year:2015.."), RecordFilter()).to_dict()
    must = body["query"]["bool"]["must"][0]["bool"]["must"]
    assert {"range": {"year": {"gte": 2015, "lte": LATEST_YEAR}}} in must


@pytest.fixture
def catalogue(search_engine, db):
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    reviews = CaseReviewIndexPageFactory(parent=home)
    CatalogueRecordFactory(
        parent=library,
        title="Neglect in Welsh schools",
        nation=Nation.WALES,
        record_type=RecordType.REPORT,
        publication_year=2009,
        availability=Availability.ONLINE,
    )
    CatalogueRecordFactory(
        parent=library,
        title="Neglect in English nurseries",
        nation=Nation.ENGLAND,
        record_type=RecordType.BOOK,
        publication_year=2016,
        availability=Availability.IN_LIBRARY,
    )
    CaseReviewFactory(
        parent=reviews,
        title="Child practice review: neglect of Child W",
        nation=Nation.WALES,
        review_type=ReviewType.CHILD_PRACTICE_REVIEW,
        publication_year=2018,
    )
    return library


def found(query: str, **params) -> set[str]:
    results = search_catalogue(parse_search_params({"q": query, **params}), None)
    return {hit.record.title for hit in results.hits}


@pytest.mark.parametrize(
    ("query", "facet", "value"),
    [
        ("nation:wales", "nation", "wales"),
        ('nation:"Northern Ireland"', "nation", "northern-ireland"),
        ("type:report", "type", "report"),
        ('type:"case review"', "type", "case-review"),
        ("review:cpr", "review_type", "child-practice-review"),
        ("availability:online", "availability", "online"),
    ],
)
def test_a_facet_field_finds_what_the_facet_finds(catalogue, query, facet, value):
    assert found(query) == found("", **{facet: value})


def test_facet_fields_combine_with_words_and_negation(catalogue):
    assert found("neglect nation:wales -type:case-review") == {"Neglect in Welsh schools"}
    assert found("neglect year:2015..") == {
        "Neglect in English nurseries",
        "Child practice review: neglect of Child W",
    }
    assert found("neglect year:..2010") == {"Neglect in Welsh schools"}


def test_an_unknown_facet_value_matches_nothing_and_lists_the_choices(catalogue):
    results = search_catalogue(parse_search_params({"q": "nation:cornwall"}), None)
    assert results.count == 0
    assert any(
        "nation:cornwall matches nothing" in message and "Wales" in message
        for message in results.messages
    )
