"""Fixtures shared by every test folder, among them the search engines the contract suite
runs on (docs/search.md, "One contract suite for every engine")."""

import os
import uuid

import pytest
from django.conf import settings as django_settings

from library.search.engines.elasticsearch import make_client
from tests.factories.home import make_site

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
# The embedded engine is the database's own: `make test` runs once on SQLite and once with
# DATABASE_URL on PostgreSQL, so the two runs cover both, and each runs Elasticsearch on osmem.
EMBEDDED = (
    "postgres" if "postgresql" in django_settings.DATABASES["default"]["ENGINE"] else "sqlite"
)
EMBEDDED_ENGINES = {
    "sqlite": "library.search.engines.sqlite.SqliteEngine",
    "postgres": "library.search.engines.postgres.PostgresEngine",
}
ELASTICSEARCH_ENGINE = "library.search.engines.elasticsearch.ElasticsearchEngine"
ELASTICSEARCH_ENGINES = ["osmem", *(["elasticsearch"] if ELASTICSEARCH_URL else [])]
ENGINES = [EMBEDDED, *ELASTICSEARCH_ENGINES]


@pytest.fixture
def home_page(db):
    """A site whose root is a fresh HomePage."""
    return make_site()


@pytest.fixture(scope="session")
def osmem():
    """One osmem-server (the in-memory OpenSearch-compatible test server) per test process;
    each test takes a clone of it, so no test sees another's index."""
    osmem_server = pytest.importorskip("osmem_server")
    try:
        server = osmem_server.OsmemServer.start(japanese=False)
    except osmem_server.OsmemError as error:
        pytest.skip(f"osmem-server cannot run here: {error}")
    yield server
    server.close()


def use_engine(name: str, request, settings) -> None:
    """Make `name` the engine every search and index update of this test goes through."""
    options: dict = {"snapshot_wait": None}
    if name in EMBEDDED_ENGINES:
        path = EMBEDDED_ENGINES[name]
    elif name == "osmem":
        clone = request.getfixturevalue("osmem").clone()
        request.addfinalizer(clone.close)
        path = ELASTICSEARCH_ENGINE
        options |= {"url": clone.url, "index": "shelfmark-test", "plain_json": True}
    else:
        alias = f"shelfmark-test-{uuid.uuid4().hex[:12]}"
        path = ELASTICSEARCH_ENGINE
        options |= {"url": ELASTICSEARCH_URL, "index": alias}
        client = make_client(ELASTICSEARCH_URL)
        request.addfinalizer(
            lambda: client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)
        )
    if path == ELASTICSEARCH_ENGINE:
        # Every write is searchable before the test's next line (a cluster takes a second).
        options["refresh_after_write"] = True
    settings.SHELFMARK_SEARCH = {"ENGINE": path, "OPTIONS": options}


@pytest.fixture(params=ENGINES)
def search_engine(request, settings) -> str:
    """Each engine in turn, empty: the database's own (SQLite or PostgreSQL), Elasticsearch on
    osmem, and a real Elasticsearch when ELASTICSEARCH_URL is set. Returns its name."""
    use_engine(request.param, request, settings)
    return request.param


@pytest.fixture(params=ELASTICSEARCH_ENGINES)
def elasticsearch(request, settings) -> str:
    """Elasticsearch on osmem, and on ELASTICSEARCH_URL when set, as the engine in use."""
    use_engine(request.param, request, settings)
    return request.param


def differs_on(engine: str, servers: set[str], reason: str) -> None:
    """Mark the running test as expected to fail on these engines, saying why by name."""
    if engine in servers:
        pytest.xfail(reason)
