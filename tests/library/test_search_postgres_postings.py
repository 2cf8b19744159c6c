"""The PostgreSQL engine matches from its own postings: they must find exactly what the
tsvectors (and so a GIN match) find, after every kind of index change."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from library.search import parse_search_params, search_catalogue
from library.search.engines.postgres import Lexemes, parse_tsquery
from library.search.indexing import rebuild_index
from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory


def test_tsquery_text_is_read_as_lexemes():
    assert parse_tsquery("'child' & 'abus'") == Lexemes((("child", False), ("abus", False)))
    assert parse_tsquery("'safeguard' & 'polic':*") == Lexemes(
        (("safeguard", False), ("polic", True))
    )
    assert parse_tsquery("'child' <-> 'protect' <2> 'care'") == Lexemes(
        (("child", False), ("protect", False), ("care", False)), (1, 2), phrase=True
    )
    assert parse_tsquery("'o''brien'") == Lexemes((("o'brien", False),))
    assert parse_tsquery("") == Lexemes(())


@pytest.mark.parametrize("text", ["'a' | 'b'", "!'a'", "'a' & ( 'b' <-> 'c' )"])
def test_other_tsquery_shapes_are_left_to_the_full_text_index(text):
    assert parse_tsquery(text) is None


def titles(query):
    results = search_catalogue(parse_search_params({"q": query}), AnonymousUser())
    return sorted(hit.record.title for hit in results.hits)


@pytest.fixture
def library(db):
    if connection.vendor != "postgresql":
        pytest.skip("the postings belong to the PostgreSQL engine")
    return LibraryIndexPageFactory(parent=make_site())


def gin_titles(condition: str, text: str) -> list[str]:
    """Titles of the records a GIN match of the tsvectors finds, as the engine did before."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.title FROM catalogue_search_pg pg JOIN library_cataloguerecord c "  # noqa: S608 - constant SQL
            "ON c.page_ptr_id = pg.record_id JOIN wagtailcore_page r ON r.id = c.page_ptr_id "
            f"WHERE pg.document @@ {condition}('shelfmark_english', %s) ORDER BY r.title",
            [text],
        )
        return [row[0] for row in cursor.fetchall()]


def test_postings_follow_edits_unpublishing_and_rebuilds(library):
    kept = CatalogueRecordFactory(parent=library, title="Child protection plans in practice")
    edited = CatalogueRecordFactory(parent=library, title="Neglect in adolescence")
    gone = CatalogueRecordFactory(parent=library, title="Protection of children online")
    CatalogueRecordFactory(parent=library, title="Child care and the protection plan")

    edited.title = "Child protection and neglect"
    edited.save_revision().publish()
    gone.unpublish()

    for query, condition, text in [
        ("protection", "plainto_tsquery", "protection"),
        ('"child protection"', "phraseto_tsquery", "child protection"),
        ('"child protection plan"', "phraseto_tsquery", "child protection plan"),
        ("protect*", "to_tsquery", "protect:*"),
        ("neglect", "plainto_tsquery", "neglect"),
    ]:
        assert titles(query) == gin_titles(condition, text), query
    assert titles('"child protection plan"') == [kept.title]
    assert titles("adolescence") == []

    rebuild_index()
    assert titles('"child protection"') == sorted([kept.title, edited.title])
    assert titles("online") == []
