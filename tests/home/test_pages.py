"""The home page, general pages, site settings, navigation and error pages."""

import pytest
from django.test import Client, override_settings
from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from shelfmark_core.models import SiteSettings
from tests.factories.home import StandardPageFactory, make_site


@pytest.mark.django_db
def test_home_page_renders_with_landmarks_and_skip_link(client, home_page):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a class="skip-link" href="#main-content">' in html
    assert '<main id="main-content"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert "<h1>Shelfmark test home</h1>" in html


@pytest.mark.django_db
def test_contact_details_and_navigation_come_from_site_settings(client, home_page):
    page = StandardPageFactory(parent=home_page, title="About us", slug="about-us")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.information_service_phone = "0808 800 1234"
    site_settings.information_service_email = "ask@example.org"
    site_settings.navigation = [("link", {"label": "About the service", "page": page, "url": ""})]
    site_settings.save()

    html = client.get("/").content.decode()

    assert 'href="tel:08088001234"' in html
    assert "mailto:ask@example.org" in html
    assert '<a href="/about-us/">About the service</a>' in html


@pytest.mark.django_db
def test_standard_page_shows_body_blocks_and_breadcrumbs(client, home_page):
    StandardPageFactory(
        parent=home_page,
        title="Guidance",
        slug="guidance",
        body=[("heading", "Who we help"), ("paragraph", "<p>Social workers and police.</p>")],
    )
    html = client.get("/guidance/").content.decode()
    assert "<h2>Who we help</h2>" in html
    assert "Social workers and police." in html
    assert 'aria-label="Breadcrumb"' in html and '<li aria-current="page">Guidance</li>' in html


@pytest.mark.django_db
def test_unknown_address_gets_the_site_404_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="#main-content"' in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_renders_without_database_or_context():
    from home.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_static_stylesheet_is_served_by_whitenoise(home_page):
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert b"@media print" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_sitemap_lists_published_pages_only(client, home_page):
    StandardPageFactory(parent=home_page, title="Public", slug="public-page")
    draft = StandardPageFactory(parent=home_page, title="Draft", slug="draft-page")
    draft.unpublish()
    xml = client.get("/sitemap.xml").content.decode()
    assert "/public-page/" in xml
    assert "/draft-page/" not in xml


class TestPageEditing(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site()

    def setUp(self):
        self.login()

    def test_editor_can_create_a_standard_page_under_home(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreate(
            self.home,
            StandardPage,
            {
                "title": "Working with partners",
                "slug": "working-with-partners",
                "introduction": "How partners use the service.",
                "body-count": "0",
            },
        )

    def test_home_page_only_lives_at_the_root(self):
        self.assertCanNotCreateAt(StandardPage, HomePage)


@pytest.mark.django_db
def test_sitemap_leaves_out_restricted_pages(client, home_page):
    from wagtail.models import PageViewRestriction

    private = StandardPageFactory(parent=home_page, title="Members", slug="members-only")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/members-only/" not in xml
