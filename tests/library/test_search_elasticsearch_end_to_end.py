"""Elasticsearch behind the same doors as the embedded engines: the site's search page, the
API, the index task and the rebuild command, on osmem-server (and on ELASTICSEARCH_URL when
set); and an unreachable cluster, which users meet as a clear 503, while publishing goes on
and the index catches up when the cluster is back."""

import socket
import threading

import pytest
from django.core.management import call_command
from django.test import override_settings

from library.models import CatalogueRecord
from library.search import SearchParams
from library.search.engines import get_engine
from library.search.indexing import pending_updates
from library.search.query import parse_query
from library.tasks import catch_up_search_index
from library.visibility import RecordFilter
from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

SEARCH_API = "/api/v3/catalogue/search"


@pytest.fixture
def library(elasticsearch, db):
    library = LibraryIndexPageFactory(parent=make_site())
    for number in range(3):
        CatalogueRecordFactory(parent=library, title=f"Neglect in the early years, part {number}")
    CatalogueRecordFactory(parent=library, title="Keeping children safe online")
    return library


def closed_port_url() -> str:
    """The address of a port nothing listens on: a cluster that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def cluster_down(settings):
    """Settings that point the engine at a closed port, everything else unchanged."""
    down = {**settings.SHELFMARK_SEARCH, "OPTIONS": dict(settings.SHELFMARK_SEARCH["OPTIONS"])}
    down["OPTIONS"]["url"] = closed_port_url()
    return override_settings(SHELFMARK_SEARCH=down)


def test_the_search_page_and_the_api_search_elasticsearch(client, library):
    page = client.get(library.url, {"q": "neglect"})
    assert page.status_code == 200
    assert "3 records found" in page.content.decode()
    answer = client.get(SEARCH_API, {"q": "online"}).json()
    assert answer["count"] == 1
    assert answer["items"][0]["title"] == "Keeping children safe online"
    assert {value["value"] for value in answer["facets"]["record_type"]} == {"report"}


def test_an_unreachable_cluster_is_a_clear_503_page_never_a_500(client, library, settings):
    with cluster_down(settings):
        page = client.get(library.url, {"q": "neglect"})
        assert page.status_code == 503
        assert page["Retry-After"]
        html = page.content.decode()
        assert "<h1>Search is unavailable</h1>" in html
        assert 'lang="en' in html and "<main" in html  # the site's own accessible layout
        export = client.get("/search/export/ris/", {"q": "neglect"})
        assert export.status_code in {503, 404}
    assert client.get(library.url, {"q": "neglect"}).status_code == 200


def test_an_unreachable_cluster_is_a_503_problem_from_the_api(client, library, settings):
    with cluster_down(settings):
        answer = client.get(SEARCH_API, {"q": "neglect"})
    assert answer.status_code == 503
    assert answer["Content-Type"].startswith("application/problem+json")
    assert answer["Retry-After"]
    problem = answer.json()
    assert problem["status"] == 503 and "try again" in problem["detail"]


def search_ids(q: str) -> list[int]:
    engine = get_engine()
    params = SearchParams(q=q, limit=100)
    return engine.search(parse_query(q).tree, params, RecordFilter(), snapshot=None).ids


def test_publishing_succeeds_while_the_cluster_is_down_and_the_index_catches_up(
    client, library, settings
):
    gone = CatalogueRecord.objects.get(title="Keeping children safe online")
    with cluster_down(settings):
        added = CatalogueRecordFactory(parent=library, title="Grooming and exploitation online")
        added.save_revision().publish()
        gone.unpublish()
        assert pending_updates() == 2
    assert CatalogueRecord.objects.get(pk=added.pk).live
    # Until the index catches up, the unpublished record is still left out of every answer.
    assert (
        "Keeping children safe online"
        not in client.get(library.url, {"q": "online"}).content.decode()
    )
    assert search_ids("grooming") == []

    assert catch_up_search_index.call() == 2
    assert pending_updates() == 0
    assert search_ids("grooming") == [added.pk]
    assert search_ids("keeping") == []
    answer = client.get(SEARCH_API, {"q": "online"}).json()
    assert [item["title"] for item in answer["items"]] == ["Grooming and exploitation online"]


def test_the_next_index_update_that_reaches_the_cluster_brings_in_the_held_back_ones(
    library, settings
):
    with cluster_down(settings):
        held = CatalogueRecordFactory(parent=library, title="Held back while the cluster slept")
    assert search_ids("slept") == []
    CatalogueRecordFactory(parent=library, title="Published once it woke")
    assert search_ids("slept") == [held.pk]
    assert pending_updates() == 0


def test_the_catch_up_command_says_when_the_cluster_is_still_down(library, settings):
    from django.core.management.base import CommandError

    with cluster_down(settings):
        CatalogueRecordFactory(parent=library, title="Waiting")
        with pytest.raises(CommandError, match="could not be reached"):
            call_command("catch_up_search_index")
    assert pending_updates() == 1
    call_command("catch_up_search_index", stdout=__import__("io").StringIO())
    assert pending_updates() == 0


def test_searches_during_a_rebuild_always_find_every_record(library):
    """The rebuild fills a new index and then moves the alias: a search at any moment of it,
    from another thread, finds all the records."""
    engine = get_engine()
    expected = len(search_ids(""))
    assert expected == 4
    counts: list[int] = []
    done = threading.Event()

    def keep_searching():
        while not done.is_set():
            counts.append(len(search_ids("")))

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        before = engine.aliased_indices()
        for _round in range(3):
            call_command(
                "rebuild_catalogue_index", "--no-progress", stdout=__import__("io").StringIO()
            )
            counts.append(len(search_ids("")))
    finally:
        done.set()
        searcher.join()
    assert engine.aliased_indices() != before
    assert len(counts) > 3
    assert set(counts) == {expected}
