"""The record editor in Chromium: each record type sees its own fields, and subjects are chosen
from suggestions as the editor types."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories.home import make_site
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(live_server, page):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def test_journal_fields_show_only_for_journal_articles(live_server, signed_in):
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    page = signed_in
    page.goto(f"{live_server.url}/admin/pages/add/library/cataloguerecord/{library.pk}/")
    journal = page.locator('[data-record-types="journal-article"]')
    page.locator("select[name=record_type]").select_option("report")
    assert journal.is_hidden()
    page.locator("select[name=record_type]").select_option("journal-article")
    expect(journal).to_be_visible()
    expect(page.locator("input[name=journal_title]")).to_be_visible()


def test_a_theme_is_chosen_from_suggestions(live_server, signed_in):
    home = make_site()
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    SubjectFactory(name="Emotional neglect", slug="emotional-neglect", broader=neglect)
    for index in range(300):
        SubjectFactory(name=f"Term {index:03d}", slug=f"term-{index:03d}")
    review = CaseReviewFactory(parent=CaseReviewIndexPageFactory(parent=home))
    page = signed_in
    page.goto(f"{live_server.url}/admin/pages/{review.pk}/edit/")
    page.get_by_role("tab", name="Case review").click()
    box = page.locator('input[name="themes__add"]')
    box.fill("emotio")
    option = page.get_by_role("option", name="Emotional neglect (under Neglect)")
    option.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    chosen = page.get_by_role("checkbox", name="Emotional neglect (under Neglect)")
    assert chosen.is_checked()
    assert box.input_value() == ""
