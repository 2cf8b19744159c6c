"""Reading lists in a real browser: the list, its print view (print media) and the index."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Collection, Site

from shelfmark_core.models import SiteSettings
from tests.factories.home import make_site
from tests.factories.library import (
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    RecordDocumentFactory,
    SubjectFactory,
)
from tests.factories.readinglists import (
    ReadingListIndexPageFactory,
    ReadingListPageFactory,
    citation_entry,
    record_entry,
    section,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reading_list():
    home = make_site()
    # Transactional tests flush the root collection that documents need; put it back.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    library = LibraryIndexPageFactory(parent=home)
    record = CatalogueRecordFactory(
        parent=library,
        title="Undertaking serious case reviews using the SCIE learning together model",
        contributors=2,
    )
    RecordDocumentFactory(record=record)
    index = ReadingListIndexPageFactory(parent=home)
    reading_list = ReadingListPageFactory(
        parent=index,
        title="Practice guidance on conducting a case review",
        topics=[SubjectFactory(name="Serious case reviews")],
        sections=[
            section(
                "Learning models for serious case reviews",
                [],
                introduction="<p>LSCBs may use any learning model consistent with the "
                "principles of the guidance.</p>",
            ),
            section(
                "Practice guidance and learning audits",
                [
                    record_entry(record),
                    citation_entry(
                        "Audit and analysis of initial and significant case reviews",
                        authors="Vincent, S.\nPetch, A.",
                        place="Edinburgh",
                        publisher="The Scottish Government",
                        year=2012,
                        url="https://example.org/audit.pdf",
                        format_marker="PDF",
                        size="319kb",
                        annotation="<p>Analyses 43 initial case reviews.</p>",
                    ),
                ],
            ),
        ],
        see_also=[("link", {"label": "The library catalogue", "page": library, "url": ""})],
        closing_note="<p>Contact the Information Service for more information.</p>",
    )
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.navigation = [("link", {"label": "Reading lists", "page": index, "url": ""})]
    site_settings.save()
    return reading_list


@pytest.mark.parametrize("suffix", ["", "print/", "bibliography/"])
def test_list_pages_pass_axe(live_server, page, assert_accessible, reading_list, suffix):
    page.goto(live_server.url + reading_list.url + suffix)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_index_passes_axe_and_leads_to_the_list(live_server, page, assert_accessible, reading_list):
    page.goto(live_server.url + "/reading-lists/")
    assert_accessible(page)
    page.get_by_role("link", name="Practice guidance on conducting a case review").first.click()
    assert page.locator("h1").inner_text() == "Practice guidance on conducting a case review"


def test_print_view_on_paper(live_server, page, assert_accessible, reading_list):
    page.goto(live_server.url + reading_list.url + "print/")
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_visible()
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.get_by_role("button", name="Print", exact=True).is_hidden()
    assert page.get_by_text("Back to the list").is_hidden()
    printed_target = page.evaluate(
        "getComputedStyle(document.querySelector('a[href=\"https://example.org/audit.pdf\"]'),"
        " '::after').content"
    )
    assert "https://example.org/audit.pdf" in printed_target
    expect(page.get_by_text("Analyses 43 initial case reviews.")).to_be_visible()
    assert_accessible(page)


def test_list_works_without_javascript(live_server, page_without_js, reading_list):
    page = page_without_js
    page.goto(live_server.url + reading_list.url)
    page.get_by_role("link", name="Print this page").click()
    assert page.url.endswith("/print/")
    assert page.get_by_role("button", name="Print", exact=True).is_hidden()
    page.go_back()
    page.get_by_role("link", name="Formatted bibliography (Harvard, APA and more)").click()
    page.get_by_label("Citation style").select_option("apa")
    page.get_by_role("button", name="Show in this style").click()
    assert "References in APA" in page.locator("h2").first.inner_text()
