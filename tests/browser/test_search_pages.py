"""The search results page in a real browser: accessible, and usable without JavaScript."""

import pytest
from playwright.sync_api import expect

from library.models import RecordType
from tests.factories.home import make_site
from tests.factories.library import (
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library():
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    neglect = SubjectFactory(name="Neglect", slug="neglect", use_for="child neglect")
    for number in range(23):
        CatalogueRecordFactory(
            parent=library,
            title=f"Neglect and the early years, part {number}",
            abstract="<p>How practitioners recognise neglect in babies.</p>",
            publication_year=2000 + number % 20,
            record_type=RecordType.BOOK if number % 3 else RecordType.RESEARCH,
            subjects=[neglect],
        )
    return library


def test_results_page_with_facets_passes_axe(live_server, page, assert_accessible, library):
    page.goto(live_server.url + "/library/?q=neglect&record_type=book")
    assert "records found" in page.locator("[role=status]").inner_text()
    assert_accessible(page)


def test_empty_results_with_suggestion_pass_axe(live_server, page, assert_accessible, library):
    page.goto(live_server.url + "/library/?q=neglcet")
    expect(page.get_by_text("Did you mean")).to_be_visible()
    assert_accessible(page)


def test_search_filter_sort_and_page_without_javascript(live_server, page_without_js, library):
    browser_page = page_without_js
    browser_page.goto(live_server.url + "/")
    browser_page.fill("#site-search-q", "neglect")
    browser_page.click("form[role=search] button")
    assert "23 records found" in browser_page.locator("[role=status]").inner_text()

    browser_page.get_by_role("link", name="Research").click()
    assert "8 records found" in browser_page.locator("[role=status]").inner_text()

    browser_page.get_by_role("link", name="Remove Research").click()
    browser_page.select_option("#search-sort", "oldest")
    browser_page.get_by_role("button", name="Sort").click()
    first = browser_page.locator(".result-list h3").first.inner_text()
    assert first.startswith("Neglect and the early years, part 0")

    browser_page.get_by_role("link", name="Next").click()
    assert browser_page.locator(".result-list > li").count() == 3
