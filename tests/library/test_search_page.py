"""The library's search results page: what a professional sees and clicks."""

import pytest

from library.models import RecordType
from tests.factories.home import make_site
from tests.factories.library import (
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)


@pytest.fixture
def library(db):
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    for number in range(25):
        CatalogueRecordFactory(
            parent=library,
            title=f"Neglect in practice, volume {number}",
            abstract="<p>Recognising neglect <b>early</b> & responding.</p>",
            publication_year=1990 + number,
            record_type=RecordType.BOOK if number % 2 else RecordType.REPORT,
            subjects=[neglect],
        )
    return library


def test_results_show_count_understood_query_highlights_and_facets(client, library):
    html = client.get("/library/?q=neglect").content.decode()
    assert "25 records found" in html
    assert '<strong class="understood-query">neglect</strong>' in html
    assert "<mark>" in html and "&amp; responding" in html
    assert "?q=neglect&amp;record_type=book" in html  # a facet link that adds the filter
    assert "Book</a>" in html and "(12)" in html and "(13)" in html


def test_facet_link_filters_and_can_be_removed(client, library):
    html = client.get("/library/?q=neglect&record_type=book").content.decode()
    assert "12 records found" in html
    assert 'aria-current="true"' in html
    assert "Remove Book" in html  # the label as shown, not the slug


def test_pagination_links_move_through_pages(client, library):
    first = client.get("/library/?q=neglect").content.decode()
    assert 'rel="next"' in first and "?q=neglect&amp;page=2" in first
    second = client.get("/library/?q=neglect&page=2").content.decode()
    assert '<ol class="result-list" start="21">' in second
    assert second.count("<li>\n                <h3>") == 5


def test_misspelling_offers_a_suggestion(client, library):
    html = client.get("/library/?q=neglcet").content.decode()
    assert "0 records found" in html
    assert "Did you mean" in html and ">neglect</a>" in html


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "((((", "NOT", "year:soon", "title:", "*", "\x00", "a" * 2000, "-"],
)
def test_odd_input_gets_a_page_not_an_error(client, library, query):
    response = client.get("/library/", {"q": query, "page": "x", "year_from": "abc"})
    assert response.status_code == 200
    assert "found" in response.content.decode()


def test_header_search_goes_to_the_library(client, library):
    response = client.get("/search/?q=neglect")
    assert response.status_code == 302
    assert response["Location"] == "/library/?q=neglect"


def test_a_huge_query_is_not_repeated_in_every_link(client, library):
    # 60 KB typed or pasted: the search reads its first 500 characters, and so do its links.
    huge = "neglect OR " * 6_000
    response = client.get("/library/", {"q": huge})
    html = response.content.decode()
    assert response.status_code == 200
    assert "shortened to its first 500 characters" in html
    assert len(html) < 200_000
