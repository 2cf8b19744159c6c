"""The link checker against a real HTTP server on 127.0.0.1, started by the test."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from readinglists.linkcheck import check_url, check_urls, record_results
from readinglists.models import LinkCheck
from tests.factories.library import CatalogueRecordFactory
from tests.factories.readinglists import ReadingListPageFactory, citation_entry, section

SLOW_SECONDS = 1.5
TIMEOUT = 0.3


class Handler(BaseHTTPRequestHandler):
    """200, 404, 500, redirects, a server that refuses HEAD, a slow one; counts concurrency."""

    def do_HEAD(self):
        if self.path == "/no-head":
            self._reply(405)
        else:
            self._route()

    def do_GET(self):
        self._route()

    def _route(self):
        # The request counts as active until its answer is decided, not until it is
        # written: a client that has read its answer may start its next request before
        # this thread runs again, which must not count as one request too many.
        server = self.server
        with server.lock:
            server.active += 1
            server.most_active = max(server.most_active, server.active)
        try:
            status, location = self._answer(self.path.split("?")[0])
        finally:
            with server.lock:
                server.active -= 1
        self._reply(status, location)

    def _answer(self, path):
        if path in ("/ok", "/no-head"):
            return 200, None
        if path == "/error":
            return 500, None
        if path == "/moved":
            return 301, "/ok"
        if path == "/moved-to-missing":
            return 302, "/missing"
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return 200, None
        if path == "/busy":
            time.sleep(0.1)
            return 200, None
        return 404, None

    def _reply(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass  # keep test output quiet


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.lock = threading.Lock()
    httpd.active = httpd.most_active = 0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_statuses_redirects_head_fallback_and_timeouts(server):
    results = {
        path: check_url(server.base + path, timeout=TIMEOUT)
        for path in (
            "/ok",
            "/moved",
            "/no-head",
            "/missing",
            "/error",
            "/moved-to-missing",
            "/slow",
        )
    }
    assert results["/ok"].ok and results["/ok"].status == 200
    assert results["/moved"].ok
    assert results["/no-head"].ok, "a server that refuses HEAD is retried with GET"
    assert results["/missing"].status == 404 and not results["/missing"].ok
    assert results["/error"].status == 500
    assert results["/moved-to-missing"].status == 404
    assert not results["/slow"].ok and results["/slow"].error == "timed out"


def test_checks_run_at_most_the_given_number_at_a_time(server):
    results = check_urls([f"{server.base}/busy?n={n}" for n in range(8)], workers=3)
    assert all(result.ok for result in results)
    assert [r.url for r in results] == [f"{server.base}/busy?n={n}" for n in range(8)]
    assert 1 <= server.most_active <= 3


@pytest.mark.django_db
def test_only_repeated_failures_are_reported_and_shown_to_editors(
    server, lists_index, library, admin_client
):
    dead, alive = server.base + "/missing", server.base + "/ok"
    reading_list = ReadingListPageFactory(
        parent=lists_index,
        sections=[section("Guidance", [citation_entry("Gone report", url=dead)])],
    )
    CatalogueRecordFactory(parent=library, web_address=alive)

    outputs = []
    for _run in range(LinkCheck.BROKEN_AFTER_FAILURES):
        out = StringIO()
        call_command("check_links", timeout=2, workers=2, stdout=out)
        outputs.append(out.getvalue())
    assert "Broken" not in outputs[0]
    assert "Checked 2 links: 0 broken, 1 failing" in outputs[0]
    assert f"Broken (HTTP 404, 3 failures in a row): {dead}" in outputs[-1]
    assert f"Reading list: {reading_list.title}" in outputs[-1]

    alive_check = LinkCheck.objects.get(url=alive)
    assert alive_check.consecutive_failures == 0 and alive_check.last_ok is not None
    edit = admin_client.get(f"/admin/pages/{reading_list.pk}/edit/").content.decode()
    assert dead in edit and "HTTP 404" in edit


@pytest.mark.django_db
def test_a_link_that_works_again_is_no_longer_broken(server):
    url = server.base + "/ok"
    LinkCheck.objects.create(url=url, last_status=500, consecutive_failures=5)
    [check] = record_results([check_url(url, timeout=2)])
    assert not check.is_broken
    assert not LinkCheck.objects.broken().exists()
