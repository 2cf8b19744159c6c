"""200 enquiries from parallel clients against a real multi-process server: none lost,
every reference distinct.

pytest-django's `live_server` cannot show this on SQLite: with the in-memory test database it
hands every request thread the same connection, so "parallel" requests would share one
transaction. Instead the test database is served by gunicorn (several worker processes,
several threads each), the production setup: on SQLite a copy of the test database in a WAL
file, on PostgreSQL the test database itself.
"""

import re
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core import signing
from django.db import connection

from enquiries.models import Enquiry
from enquiries.models.pages import REFERENCE_SALT
from tests.enquiries.conftest import free_port, settings_for_subprocess
from tests.factories.enquiries import valid_form_data

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20
SUBMISSIONS_PER_CLIENT = 10
PROJECT_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def served_site(form_page, tmp_path):
    """gunicorn serving the site with the form page; yields its base URL."""
    port = free_port()
    env = settings_for_subprocess(
        tmp_path,
        "concurrency_settings",
        [
            "ENQUIRIES_FORM_RATE_LIMIT = (100000, 600)",
            "ENQUIRIES_MINIMUM_FILL_SECONDS = 0",
            "LOGGING = {'version': 1, 'root': {'level': 'ERROR'}}",
        ],
    )
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--preload",
            "--workers=3",
            "--graceful-timeout=2",
            "--threads=4",
            "--log-level=warning",
        ],
        cwd=PROJECT_DIR,
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base_url + form_page.url, timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("The gunicorn test server did not start.")
            time.sleep(0.2)
        yield base_url + form_page.url, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def submit_many(form_url: str, client_number: int) -> list[str]:
    """One client: show the form once, then send it repeatedly; the references it was given."""
    session = requests.Session()
    shown = session.get(form_url, timeout=30).text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown).group(1)
    started = re.search(r'name="started" value="([^"]+)"', shown).group(1)
    references = []
    for number in range(SUBMISSIONS_PER_CLIENT):
        data = valid_form_data(
            email=f"client{client_number}.{number}@example.org",
            csrfmiddlewaretoken=csrf,
            started=started,
        )
        response = session.post(
            form_url, data=data, allow_redirects=False, timeout=60, headers={"Referer": form_url}
        )
        assert response.status_code == 302, response.text[:500]
        token = response.headers["Location"].split("?ref=", 1)[1]
        references.append(signing.loads(token, salt=REFERENCE_SALT))
    return references


def stored_references(tmp_path: Path) -> list[str]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "concurrency_settings.sqlite3") as database:
            return [row[0] for row in database.execute("SELECT reference FROM enquiries_enquiry")]
    return list(Enquiry.objects.values_list("reference", flat=True))


def test_parallel_clients_get_200_stored_enquiries_with_distinct_references(served_site):
    form_url, tmp_path = served_site
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        batches = list(pool.map(lambda n: submit_many(form_url, n), range(CLIENTS)))
    given = [reference for batch in batches for reference in batch]
    stored = stored_references(tmp_path)

    total = CLIENTS * SUBMISSIONS_PER_CLIENT
    assert len(given) == total
    assert len(set(given)) == total
    assert sorted(stored) == sorted(given)
