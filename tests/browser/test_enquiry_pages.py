"""The enquiry form in a real browser: accessible in every state, and usable without JavaScript."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from enquiries.models import Enquiry
from shelfmark_core.models import SiteSettings
from tests.factories.enquiries import EnquiryFormPageFactory
from tests.factories.home import make_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def form_url(live_server, settings):
    settings.ENQUIRIES_MINIMUM_FILL_SECONDS = 0
    home = make_site()
    contacts = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    contacts.helpline_phone = "0808 800 5000"
    contacts.information_service_email = "service@example.org"
    contacts.save()
    page = EnquiryFormPageFactory(parent=home)
    return live_server.url + page.url


def fill_in(page):
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Profession or role").select_option("social-care")
    page.get_by_label("Nation or region").select_option("wales")
    page.get_by_label("Topic (optional)").select_option("Neglect")
    page.get_by_label("Your question").fill("Is there research on neglect in adolescents?")
    page.get_by_label("I agree that the Information Service").check()


def test_form_error_state_and_thank_you_page_pass_axe(page, assert_accessible, form_url):
    page.goto(form_url)
    expect(page.get_by_text("This is not an emergency or helpline service")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send enquiry").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert "Enter your name." in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page)

    summary.get_by_role("link", name="Enter your name.").click()
    assert page.evaluate("document.activeElement.id") == "id_name"

    fill_in(page)
    page.get_by_role("button", name="Send enquiry").click()
    reference = Enquiry.objects.get().reference
    assert page.locator(".enquiry-reference").inner_text() == reference
    assert_accessible(page)


def test_form_works_without_javascript(page_without_js, form_url):
    page_without_js.goto(form_url)
    fill_in(page_without_js)
    page_without_js.get_by_role("button", name="Send enquiry").click()
    assert re.fullmatch(
        r"ENQ-\d{4}-\d{5}", page_without_js.locator(".enquiry-reference").inner_text()
    )
    assert Enquiry.objects.count() == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_keyboard_focus_moves_to_the_error_summary(browser, form_url, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(form_url)
        page.get_by_label("Your name").fill("Sam Okafor")
        page.get_by_role("button", name="Send enquiry").click()
        page.get_by_role("alert").wait_for()
        assert page.evaluate("document.activeElement.id") == "error-summary"
        # A keyboard user's next Tab reaches the first error's link.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == (
            "Enter your email address so that we can reply to you."
        )
    finally:
        context.close()
