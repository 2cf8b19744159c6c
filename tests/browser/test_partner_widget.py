"""The partner search widget on a page served from another origin: it searches the catalogue
through the API (allowed by CORS), is accessible, and is a plain link without JavaScript."""

import functools
import http.server
import socket
import threading

import pytest
from playwright.sync_api import expect

from library.models import RecordType
from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

PARTNER_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Northshire Safeguarding Partnership – Resources</title></head>
<body>
<main>
<h1>Resources for practitioners</h1>
<div data-shelfmark-search data-api="{site}/api/v3/" data-limit="3">
  <a href="{site}/search/">Search the library catalogue</a>
</div>
</main>
<script src="{site}/static/library/widget/shelfmark-widget.js" defer></script>
</body>
</html>
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def catalogue(search_engine):
    library = LibraryIndexPageFactory(parent=make_site())
    for number in range(4):
        CatalogueRecordFactory(
            parent=library,
            title=f"Neglect in the early years, part {number + 1}",
            record_type=RecordType.REPORT,
            publication_year=2010 + number,
            contributors=1,
        )
    CatalogueRecordFactory(parent=library, title="Keeping children safe online")
    return library


@pytest.fixture
def partner_site(tmp_path, live_server):
    """A partner's page on another origin (its own port), embedding the widget."""
    (tmp_path / "index.html").write_text(PARTNER_PAGE.format(site=live_server.url))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_widget_searches_the_catalogue_from_a_partner_origin(
    page, partner_site, live_server, catalogue, settings, assert_accessible
):
    settings.CORS_ALLOWED_ORIGINS = [partner_site]
    page.goto(partner_site + "/index.html")
    box = page.get_by_label("Search the library catalogue")
    box.fill("neglect")
    box.press("Enter")
    status = page.get_by_role("status")
    status.filter(has_text="4 records found").wait_for()
    links = page.locator(".shelfmark-widget ol a")
    assert links.count() == 3
    assert links.first.get_attribute("href").startswith(live_server.url + "/library/")
    more = page.get_by_role("link", name="See all results on the library's site")
    assert more.get_attribute("href") == f"{live_server.url}/search/?q=neglect"
    help_link = page.locator(".shelfmark-widget").get_by_role("link", name="Search help")
    assert help_link.get_attribute("href") == f"{live_server.url}/search/help/"
    assert_accessible(page)


def test_widget_says_so_when_the_partner_is_not_on_the_allow_list(
    page, partner_site, live_server, catalogue, settings
):
    settings.CORS_ALLOWED_ORIGINS = []
    page.goto(partner_site + "/index.html")
    page.get_by_label("Search the library catalogue").fill("neglect")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("status").filter(has_text="could not be reached").wait_for()
    expect(page.get_by_role("link", name="See all results on the library's site")).to_be_visible()


def test_without_javascript_the_widget_is_a_link_to_the_library_search(
    page_without_js, partner_site, live_server, catalogue
):
    page_without_js.goto(partner_site + "/index.html")
    link = page_without_js.get_by_role("link", name="Search the library catalogue")
    assert link.get_attribute("href") == live_server.url + "/search/"
    link.click()
    assert page_without_js.url.startswith(live_server.url + "/library/")
