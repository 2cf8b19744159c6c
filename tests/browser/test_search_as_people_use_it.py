"""Search pages in a real browser, with axe: results with filters that stay, the help page, a
zero-result page, and the home page as the service's front door."""

import pytest
from playwright.sync_api import expect

from library.models import Nation, RecordType
from tests.factories.enquiries import EnquiryFormPageFactory
from tests.factories.home import make_site
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site():
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    repository = CaseReviewIndexPageFactory(parent=home)
    for number, nation in enumerate([Nation.WALES, Nation.WALES, Nation.ENGLAND]):
        CatalogueRecordFactory(
            parent=library,
            title=f"Neglect and poverty, study {number}",
            nation=nation,
            record_type=RecordType.RESEARCH,
            publication_year=2010 + number * 4,
        )
    CaseReviewFactory(
        parent=repository,
        title="Child practice review: Baby Gwen",
        abstract="<p>Neglect of an infant.</p>",
        nation=Nation.WALES,
        publication_year=2019,
    )
    EnquiryFormPageFactory(parent=home)
    return home


def status(page) -> str:
    return page.locator("[role=status]").inner_text()


def test_filters_stay_while_typing_and_years_work_without_javascript(
    live_server, page_without_js, site
):
    browser = page_without_js
    browser.goto(live_server.url + "/")
    browser.fill("#site-search-q", "neglect")
    browser.click(".site-search button")
    assert "4 records found" in status(browser)  # the case review too
    browser.get_by_role("link", name="Wales").first.click()
    assert "3 records found" in status(browser)
    browser.fill("#section-search-q", "poverty")
    browser.click(".section-search button")
    assert "2 records found" in status(browser)  # Wales kept
    browser.fill("#section-search-from", "2014")
    browser.click(".section-search button")
    assert "1 record found" in status(browser)
    browser.get_by_role("link", name="Remove Wales").click()
    assert "2 records found" in status(browser)


def test_results_with_filters_pass_axe(live_server, page, assert_accessible, site):
    page.goto(live_server.url + "/library/?q=neglect&nation=wales&year_from=2012")
    assert "records found" in status(page)
    expect(page.get_by_role("link", name="Remove Wales")).to_be_visible()
    assert_accessible(page)


def test_search_help_passes_axe_and_is_linked_from_the_search_box(
    live_server, page, assert_accessible, site
):
    page.goto(live_server.url + "/library/")
    page.locator(".section-search").get_by_role("link", name="Search help").click()
    expect(page.get_by_role("heading", name="Search help", level=1)).to_be_visible()
    expect(page.get_by_text("year:2015..").first).to_be_visible()
    assert_accessible(page)


def test_zero_results_suggest_what_to_try_and_pass_axe(live_server, page, assert_accessible, site):
    page.goto(live_server.url + "/library/?q=neglcet&nation=scotland")
    assert "0 records found" in status(page)
    tries = page.locator(".zero-results")
    expect(
        tries.get_by_role("link", name="Search again without the filter Scotland")
    ).to_be_visible()
    expect(tries.get_by_role("link", name="Ask the Information Service")).to_be_visible()
    assert_accessible(page)


def test_home_page_is_the_front_door_and_passes_axe(live_server, page, assert_accessible, site):
    page.goto(live_server.url + "/")
    for name in ("Search the catalogue", "New in the library", "Information Service"):
        expect(page.get_by_role("heading", name=name).first).to_be_visible()
    expect(page.get_by_role("link", name="Child practice review: Baby Gwen")).to_be_visible()
    assert_accessible(page)
