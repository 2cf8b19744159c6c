"""A librarian publishes while partners search: no search stalls, and the edit is findable soon.

Serves the bench database with gunicorn (2 sync workers) and runs the task worker beside it, as
in production. Two client threads send distinct catalogue searches through the API without
pause. After a warm-up, a separate process publishes an edit of one record the way the admin
does (a new revision, published), which queues the index update for the worker; a third thread
polls for the edit's new word. Reports the searches' latency in the windows before and after
the publish, and how long the edit took to become findable.
"""

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from library.models import CatalogueRecord
from tests.bench.bench_api import (
    distinct_searches,
    ensure_catalogue,
    free_port,
    start_gunicorn,
    wait_until_ready,
    warm_up,
)
from tests.bench.timing import percentile

ROOT = Path(__file__).resolve().parents[2]
WINDOW = int(os.environ.get("BENCH_PUBLISH_SECONDS", "30"))
CLIENTS = 2
SLOW_MS = 150
NEW_WORD = "zebrafinchery"
PUBLISH = """
import time
from library.models import CatalogueRecord
record = CatalogueRecord.objects.get(pk={pk}).specific
record.title = record.title + " {word}"
record.save_revision().publish()
print(time.time())
"""


def environment() -> dict:
    """The bench settings on the same database, with tasks queued for the worker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    return env


def search_continuously(base: str, paths: list[str], offset: int, stop, timings: list) -> None:
    index = offset
    while not stop.is_set():
        started = time.time()
        with urllib.request.urlopen(base + paths[index % len(paths)], timeout=60):  # noqa: S310
            pass
        timings.append((started, (time.time() - started) * 1000))
        index += CLIENTS


def wait_until_findable(base: str, since: float, timeout: float) -> float | None:
    """Seconds from `since` until a search for the new word finds the record."""
    while time.time() - since < timeout:
        with urllib.request.urlopen(f"{base}/api/v3/catalogue/search?q={NEW_WORD}") as answer:  # noqa: S310
            if b'"count": 0' not in answer.read().replace(b'"count":0', b'"count": 0'):
                return time.time() - since
        time.sleep(0.1)
    return None


def summary(label: str, timings: list[float]) -> str:
    slow = sum(1 for ms in timings if ms > SLOW_MS)
    return (
        f"| {label} | {len(timings):,} | {percentile(timings, 0.5):.1f} | "
        f"{percentile(timings, 0.95):.1f} | {percentile(timings, 0.99):.1f} | "
        f"{max(timings):.1f} | {slow} |"
    )


def run(options) -> list[str]:
    total = ensure_catalogue(options.records or 250_000, details=False)
    record_id = CatalogueRecord.objects.live().order_by("-pk").values_list("pk", flat=True)[0]
    paths = distinct_searches()
    connection.close()
    env = environment()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    worker = subprocess.Popen(  # noqa: S603 - our own worker with fixed arguments
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2"], cwd=ROOT, env=env
    )
    try:
        wait_until_ready(base)
        warm_up(base, paths)
        stop, timings = threading.Event(), []
        clients = [
            threading.Thread(target=search_continuously, args=(base, paths, n, stop, timings))
            for n in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        time.sleep(WINDOW)
        published = float(
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "-c",
                    PUBLISH.format(pk=record_id, word=NEW_WORD),
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[-1]
        )
        findable = wait_until_findable(base, published, timeout=WINDOW)
        time.sleep(max(0.0, published + WINDOW - time.time()))
        stop.set()
        for client in clients:
            client.join()
    finally:
        worker.terminate()
        server.terminate()
        worker.wait()
        server.wait()
    before = [ms for started, ms in timings if started < published]
    after = [ms for started, ms in timings if published <= started < published + WINDOW]
    found = f"{findable:.1f} s" if findable is not None else f"not within {WINDOW} s"
    return [
        "## Publishing while searching",
        "",
        f"{total:,} live records on {connection.vendor}; gunicorn with 2 sync workers and the "
        f"task worker; {CLIENTS} clients send distinct API searches without pause. A separate "
        "process publishes an edit of one record as the admin does; the worker indexes it and "
        "each gunicorn worker builds its new search snapshot in the background while the old "
        f"one answers. Targets: no search over {SLOW_MS} ms in the {WINDOW} s after the publish; "
        "the edit findable within 5 s.",
        "",
        f"| window | searches | p50 ms | p95 ms | p99 ms | max ms | over {SLOW_MS} ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
        summary(f"{WINDOW} s before the publish", before),
        summary(f"{WINDOW} s after the publish", after),
        "",
        f"The edited record was findable by its new word {found} after the publish.",
    ]
