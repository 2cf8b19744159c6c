"""A record page's "Cite this" and exports in a real browser: accessible with its copy box
open, and a style chosen without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.factories.home import make_site
from tests.factories.library import (
    CatalogueRecordFactory,
    ContributorFactory,
    LibraryIndexPageFactory,
    RecordDocumentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article():
    library = LibraryIndexPageFactory(parent=make_site())
    record = CatalogueRecordFactory(
        parent=library,
        title="Inquiring into non-accidental child deaths",
        record_type="journal-article",
        journal_title="British Journal of Social Work",
        volume="41",
        issue="2",
        page_range="242-260",
        publication_year=2011,
        doi="10.1093/bjsw/bcq084",
    )
    ContributorFactory(record=record, family_name="Brandon", given_names="M.", sort_order=0)
    RecordDocumentFactory(record=record, label="Full article")
    return record


def test_the_record_page_with_its_citation_open_passes_axe(
    live_server, page, assert_accessible, article
):
    page.goto(live_server.url + article.get_url())
    page.get_by_text("Plain text to copy").click()
    assert "Brandon, M." in page.locator("#citation-plain").input_value()
    expect(page.get_by_role("link", name="Full article (PDF")).to_be_visible()
    assert_accessible(page)


def test_a_style_is_chosen_without_javascript(live_server, page_without_js, article):
    page = page_without_js
    page.goto(live_server.url + article.get_url())
    assert "Brandon, M. (2011)" in page.locator("p.citation").inner_text()
    page.get_by_label("Citation style").select_option("vancouver-nlm")
    page.get_by_role("button", name="Show citation").click()
    assert "style=vancouver-nlm" in page.url
    assert page.locator("p.citation").inner_text().startswith("1. Brandon M.")
    expect(page.get_by_role("link", name="RIS (EndNote, Zotero, Mendeley)")).to_be_visible()
