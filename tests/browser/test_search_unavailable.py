"""A search cluster that cannot be reached: the visitor sees an accessible page that says
search is unavailable, with the status a proxy or a monitor can read (503)."""

import socket

import pytest

from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_an_unreachable_cluster_shows_an_accessible_unavailable_page(
    page, live_server, settings, assert_accessible
):
    library = LibraryIndexPageFactory(parent=make_site())
    CatalogueRecordFactory(parent=library, title="Neglect in the early years")
    settings.SHELFMARK_SEARCH = {
        "ENGINE": "library.search.engines.elasticsearch.ElasticsearchEngine",
        "OPTIONS": {"url": closed_port_url(), "plain_json": True, "snapshot_wait": None},
    }
    response = page.goto(f"{live_server.url}{library.url}?q=neglect")
    assert response.status == 503
    assert page.get_by_role("heading", level=1).inner_text() == "Search is unavailable"
    assert_accessible(page)
