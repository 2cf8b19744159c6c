"""The production shape: gunicorn with four workers and two task workers on PostgreSQL, with
Redis as the cache. A change made in one process shows in every worker within 5 s, and a
record is never served by any worker once its restriction is saved.

gunicorn's workers share one listening socket, so a test cannot address one of them. Each
answer names its process (tests/deploy/worker_header.py, added by this test's settings only),
and every check sends batches of concurrent requests (a sync worker takes one at a time, so
they spread over the workers) until each worker has answered.
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import PageViewRestriction

from library.partners import issue_partner_token
from tests.enquiries.conftest import free_port, settings_for_subprocess
from tests.factories.home import make_site
from tests.factories.library import (
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)

PROJECT_DIR = Path(settings.BASE_DIR)
WEB_WORKERS = 4
TASK_WORKERS = 2
WITHIN_SECONDS = 5.0
STARTUP_SECONDS = 120.0
REDIS_URL = os.environ.get("SHELFMARK_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
BATCH = 12


def redis_is_up() -> bool:
    host, _, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the production shape runs on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


@dataclass
class Served:
    """The running processes: gunicorn's address and its worker ids."""

    base_url: str
    worker_pids: set[int]


def children_of(pid: int) -> set[int]:
    """Ids of the processes whose parent is `pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ...": the command may hold spaces, so split after ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def unit_command(name: str) -> list[str]:
    """The arguments of an example unit's ExecStart after the program (gunicorn, python),
    without its address (gunicorn adds each --bind given)."""
    unit = (PROJECT_DIR / "deploy" / "systemd" / name).read_text()
    _program, *arguments = re.search(r"^ExecStart=(.+)$", unit, re.MULTILINE).group(1).split()
    if "--bind" in arguments:
        at = arguments.index("--bind")
        del arguments[at : at + 2]
    return arguments


@pytest.fixture
def several_processes(tmp_path, settings):
    """gunicorn (4 workers) and 2 `db_worker` processes on this test's database and Redis."""
    if not redis_is_up():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    # This process writes as the admin would: index updates go to the database queue for the
    # task workers, and the cache is the one the web workers share.
    prefix = f"several-processes-{os.getpid()}-{time.time_ns()}"
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    settings.CACHES = {"default": redis_cache}
    env = settings_for_subprocess(
        tmp_path,
        "several_processes_settings",
        [
            "TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}",
            f"CACHES = {{'default': {redis_cache!r}}}",
            # As in production: a search waits at most 0.1 s for a changed index's columns.
            "SHELFMARK_SEARCH['OPTIONS']['snapshot_wait'] = 0.1",
            "MIDDLEWARE = ['tests.deploy.worker_header.WorkerPidMiddleware', *MIDDLEWARE]",
            "SHELFMARK_API_RATE_LIMIT_ANONYMOUS = SHELFMARK_API_RATE_LIMIT_TOKEN = (1000000, 60)",
            "LOGGING = {'version': 1, 'root': {'level': 'ERROR'}}",
        ],
    )
    port = free_port()
    # The commands of the example units (deploy/systemd), on a free port, quickly stopped.
    web = unit_command("shelfmark-web.service")
    worker = unit_command("shelfmark-worker@.service")
    assert f"--workers {WEB_WORKERS}" in " ".join(web)
    processes = [
        subprocess.Popen(  # noqa: S603 - the example unit's arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                *web,
                f"--bind=127.0.0.1:{port}",
                "--graceful-timeout=2",
                "--access-logfile=/dev/null",
                "--log-level=warning",
            ],
            cwd=PROJECT_DIR,
            env=env,
        )
    ]
    processes += [
        subprocess.Popen(  # noqa: S603 - the example unit's arguments
            [sys.executable, *worker],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(TASK_WORKERS)
    ]
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            pids = children_of(processes[0].pid)
            try:
                answered = requests.get(base_url + "/api/v3/catalogue/search", timeout=10)
                if answered.ok and len(pids) == WEB_WORKERS:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                pytest.fail("The gunicorn server and task workers did not start.")
            time.sleep(0.2)
        yield Served(base_url, pids)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


# What one answer shows: (the worker that answered, whether the answer shows the thing).
Probe = Callable[[], tuple[int, bool]]


def answers(probe: Probe) -> list[tuple[int, bool]]:
    """One batch of concurrent requests, spread over the workers."""
    with ThreadPoolExecutor(max_workers=BATCH) as pool:
        return list(pool.map(lambda _: probe(), range(BATCH)))


def every_worker_shows(served: Served, probe: Probe, what: str, within=WITHIN_SECONDS) -> None:
    """Ask until every worker's latest answer shows `what`; fail after `within` seconds."""
    latest: dict[int, bool] = {}
    deadline = time.monotonic() + within
    while True:
        latest.update(answers(probe))
        lagging = served.worker_pids - {pid for pid, shown in latest.items() if shown}
        if not lagging:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"After {within} s, workers {sorted(lagging)} still do not show {what}.")
        time.sleep(0.05)


def no_worker_shows(served: Served, probe: Probe, what: str) -> None:
    """Ask at once, until every worker has answered three times: none may show `what`."""
    heard: dict[int, int] = {}
    deadline = time.monotonic() + 60
    while min((heard.get(pid, 0) for pid in served.worker_pids), default=0) < 3:
        for pid, shown in answers(probe):
            assert not shown, f"Worker {pid} showed {what}."
            heard[pid] = heard.get(pid, 0) + 1
        assert time.monotonic() < deadline, f"Some workers never answered: {heard}"


def pid_of(response: requests.Response) -> int:
    return int(response.headers["X-Worker-Pid"])


def searching(served: Served, q: str, record_id: int, token: str = "") -> Probe:
    """The API's search for `q` (a word of this record alone) lists or counts the record: a
    record counted in the total or the facets but not listed still tells that it exists."""

    def probe():
        response = requests.get(
            served.base_url + "/api/v3/catalogue/search",
            params={"q": q},
            headers={"Authorization": f"Bearer {token}"} if token else {},
            timeout=30,
        )
        assert response.status_code == 200, response.text[:300]
        found = response.json()
        listed = record_id in [item["id"] for item in found["items"]]
        return pid_of(response), listed or found["count"] > 0

    return probe


def site_searching(served: Served, q: str, title: str) -> Probe:
    """The site's search page for `q` shows the record's title."""

    def probe():
        response = requests.get(served.base_url + "/search/", params={"q": q}, timeout=30)
        assert response.status_code == 200
        return pid_of(response), title in response.text

    return probe


def record_answer(served: Served, record_id: int, token: str = "", has: str = "") -> Probe:
    """The API gives the record (and its answer contains `has`)."""

    def probe():
        response = requests.get(
            served.base_url + f"/api/v3/catalogue/records/{record_id}",
            headers={"Authorization": f"Bearer {token}"} if token else {},
            timeout=30,
        )
        assert response.status_code in {200, 404}, response.text[:300]
        return pid_of(response), response.status_code == 200 and has in response.text

    return probe


def record_page(served: Served, path: str, title: str) -> Probe:
    """The record's own page is served with its title."""

    def probe():
        response = requests.get(served.base_url + path, allow_redirects=False, timeout=30)
        return pid_of(response), response.status_code == 200 and title in response.text

    return probe


def healthy(served: Served) -> Probe:
    """/healthz answers 200: database, Redis, search engine and task queue all well."""

    def probe():
        response = requests.get(served.base_url + "/healthz", timeout=30)
        return pid_of(response), response.status_code == 200

    return probe


def without(probe: Probe) -> Probe:
    """The answer does not show what `probe` looks for."""

    def negated():
        pid, shown = probe()
        return pid, not shown

    return negated


def subject_facet(served: Served, q: str, label: str) -> Probe:
    """The subject facet of a search for `q` offers `label`."""

    def probe():
        response = requests.get(
            served.base_url + "/api/v3/catalogue/search", params={"q": q}, timeout=30
        )
        labels = [value["label"] for value in response.json()["facets"]["subject"]]
        return pid_of(response), label in labels

    return probe


def test_changes_reach_every_worker_and_restrictions_apply_at_once(several_processes):
    served = several_processes
    section = LibraryIndexPageFactory(parent=make_site())
    neglect = SubjectFactory(name="Neglect")
    audit = CatalogueRecordFactory(
        parent=section, title="Zebrafinch safeguarding audit", subjects=[neglect]
    )
    panel = Group.objects.create(name="Case review panel")
    issued = issue_partner_token("Test partner")
    partner = issued.token.user
    every_worker_shows(
        served, searching(served, "zebrafinch", audit.pk), "the first record", STARTUP_SECONDS
    )
    # The task workers have emptied the queue: every worker tells the load balancer it is well.
    every_worker_shows(served, healthy(served), "a healthy /healthz")

    # Publish: a draft published in the admin is found by every worker.
    draft = CatalogueRecordFactory(parent=section, title="Quokka family support", live=False)
    draft.save_revision().publish()
    every_worker_shows(served, searching(served, "quokka", draft.pk), "the published record")
    every_worker_shows(
        served, site_searching(served, "quokka", "Quokka family support"), "it on the site"
    )
    every_worker_shows(served, record_answer(served, draft.pk), "its API record")

    # Unpublish: it leaves every worker's search, API and pages.
    draft.refresh_from_db()
    draft.unpublish()
    every_worker_shows(
        served,
        without(searching(served, "quokka", draft.pk)),
        "the unpublished record gone from search",
    )
    no_worker_shows(served, record_answer(served, draft.pk), "the unpublished record's API record")

    # Subject rename: the facet label and the record's detail follow.
    every_worker_shows(served, subject_facet(served, "zebrafinch", "Neglect"), "the old label")
    neglect.name = "Neglect of children"
    neglect.save()
    every_worker_shows(
        served, subject_facet(served, "zebrafinch", "Neglect of children"), "the renamed facet"
    )
    every_worker_shows(
        served,
        record_answer(served, audit.pk, has='"name":"Neglect of children"'),
        "the renamed subject in the record's detail",
    )

    # Restriction: from the moment the save returns, no worker serves the record to anyone
    # outside the group (the partner is not in it yet).
    every_worker_shows(served, record_page(served, audit.url, audit.title), "the public page")
    with transaction.atomic():
        restriction = PageViewRestriction.objects.create(
            page=audit, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(panel)
    for token in ("", issued.plaintext):
        no_worker_shows(
            served, searching(served, "zebrafinch", audit.pk, token), "the restricted record"
        )
        no_worker_shows(
            served, record_answer(served, audit.pk, token), "the restricted record's detail"
        )
    no_worker_shows(served, record_page(served, audit.url, audit.title), "the restricted page")
    no_worker_shows(
        served, site_searching(served, "zebrafinch", audit.title), "it in the site's search"
    )

    # Group membership: the partner joins the group and every worker shows it the record; it
    # leaves and none does.
    partner.groups.add(panel)
    every_worker_shows(
        served,
        searching(served, "zebrafinch", audit.pk, issued.plaintext),
        "the record to the new member",
    )
    every_worker_shows(
        served, record_answer(served, audit.pk, issued.plaintext), "its detail to the new member"
    )
    partner.groups.remove(panel)
    no_worker_shows(
        served,
        searching(served, "zebrafinch", audit.pk, issued.plaintext),
        "the record to a former member",
    )
    no_worker_shows(
        served, record_answer(served, audit.pk, issued.plaintext), "its detail to a former member"
    )

    # The restriction removed: every worker shows the record to everyone again.
    restriction.delete()
    every_worker_shows(
        served, searching(served, "zebrafinch", audit.pk), "the record, unrestricted, in search"
    )
    every_worker_shows(served, record_page(served, audit.url, audit.title), "its page again")
