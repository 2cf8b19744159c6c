"""Home, general and error pages in a real browser: accessible, usable without JavaScript."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from shelfmark_core.models import SiteSettings
from tests.factories.home import StandardPageFactory, make_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site_tree():
    home = make_site()
    about = StandardPageFactory(
        parent=home,
        title="About the Information Service",
        slug="about",
        body=[
            ("heading", "What we do"),
            (
                "paragraph",
                '<p>We answer enquiries. See <a href="https://www.gov.uk/">GOV.UK</a>.</p>',
            ),
        ],
    )
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.navigation = [("link", {"label": "About", "page": about, "url": ""})]
    site_settings.save()
    return home


@pytest.mark.parametrize("path", ["/", "/about/", "/missing-page/"])
def test_site_pages_pass_axe(live_server, page, assert_accessible, site_tree, path):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_skip_link_is_first_in_tab_order_and_moves_focus_to_main(live_server, page, site_tree):
    page.goto(live_server.url + "/about/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_print_stylesheet_hides_navigation_and_shows_link_targets(live_server, page, site_tree):
    page.goto(live_server.url + "/about/")
    expect(page.locator(".site-nav")).to_be_visible()
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".site-search").is_hidden()
    printed_target = page.evaluate(
        "getComputedStyle(document.querySelector('main a[href^=\"https\"]'), '::after').content"
    )
    assert "https://www.gov.uk/" in printed_target


def test_navigation_works_without_javascript(live_server, page_without_js, site_tree):
    page_without_js.goto(live_server.url + "/")
    page_without_js.get_by_role("navigation", name="Main").get_by_role("link", name="About").click()
    assert page_without_js.locator("h1").inner_text() == "About the Information Service"
