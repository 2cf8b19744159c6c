"""Library and case review pages in a real browser: accessible, and usable without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.factories.home import make_site
from tests.factories.library import (
    AgencyFactory,
    BoardFactory,
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    RecommendationFactory,
    RecordDocumentFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    repository = CaseReviewIndexPageFactory(parent=home)
    abuse = SubjectFactory(name="Child abuse")
    neglect = SubjectFactory(name="Neglect", broader=abuse)
    record = CatalogueRecordFactory(
        parent=library,
        title="Inquiring into non-accidental child deaths: reviewing the review process",
        record_type="journal-article",
        journal_title="British Journal of Social Work",
        volume="41",
        issue="2",
        page_range="242-260",
        publication_year=2011,
        doi="10.1093/bjsw/bcq084",
        subjects=[neglect],
        contributors=3,
    )
    RecordDocumentFactory(record=record, label="Full article")
    CatalogueRecordFactory(parent=library, title="Neglect in the early years", subjects=[neglect])
    police = AgencyFactory(name="Police")
    review = CaseReviewFactory(
        parent=repository,
        title="Child X",
        board=BoardFactory(name="ISCP"),
        themes=[neglect],
        agencies=[police],
    )
    RecommendationFactory(review=review, text="Share concerns early.", agency=police)
    return {"record": record, "review": review}


@pytest.mark.parametrize(
    "path",
    [
        "record",
        "review",
        "/library/",
        "/library/?subject=neglect",
        "/case-reviews/",
        "/case-reviews/?nation=england",
    ],
)
def test_library_pages_pass_axe(live_server, page, assert_accessible, catalogue, path):
    if not path.startswith("/"):
        path = catalogue[path].get_url()
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_record_page_works_without_javascript(live_server, page_without_js, catalogue):
    page = page_without_js
    page.goto(live_server.url + catalogue["record"].get_url())
    assert "British Journal of Social Work" in page.locator("dl.fields").inner_text()
    expect(page.get_by_role("link", name="Full article")).to_be_visible()
    page.get_by_role("link", name="Neglect", exact=True).first.click()
    assert "/library/?subject=neglect" in page.url
    expect(page.get_by_role("link", name="Neglect in the early years")).to_be_visible()


def test_withdrawn_document_page_passes_axe(live_server, page, assert_accessible, catalogue):
    import datetime

    record = catalogue["record"]
    record.online_until = datetime.date.today() - datetime.timedelta(days=1)
    record.save_revision().publish()
    document = record.attached_documents.first().document
    response = page.goto(live_server.url + document.url)
    assert response.status == 410
    assert page.locator("h1").count() == 1
    assert_accessible(page)
