"""The weekly digest run: 30,000 subscribers and 500 new records (BENCH_SUBSCRIBERS changes
the number), rendered and queued by `send_digests`, then sent by the task worker to a local
aiosmtpd sink, checked for duplicates and misses, then run again to show nothing is resent.

Runs in child processes on a SQLite file of its own (var/bench-digests.sqlite3) with the
database task backend, so the bench database is left alone.
"""

import collections
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
RUN_DATE = "2026-11-23"
CATALOGUE = 2_000
NEW_RECORDS = 500


class Sink:
    def __init__(self):
        self.received = collections.Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.update(envelope.rcpt_tos)
        return "250 OK"


def manage(*args: str, env: dict) -> tuple[str, float]:
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout, time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def expected_recipients(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT recipient FROM currentawareness_digestdelivery WHERE cancelled_at IS NULL"
            )
        ]


def stored_email(database: Path) -> tuple[int, float]:
    """(distinct digests stored, MB of email text held) after the render and queue."""
    with sqlite3.connect(database) as connection:
        contents, content_chars = connection.execute(
            "SELECT count(*), coalesce(sum(length(text) + length(html)), 0) "
            "FROM currentawareness_digestcontent"
        ).fetchone()
        (row_chars,) = connection.execute(
            "SELECT coalesce(sum(length(body)), 0) FROM currentawareness_digestdelivery"
        ).fetchone()
    return contents, (content_chars + row_chars) / 1e6


def run(options) -> list[str]:
    subscribers = int(os.environ.get("BENCH_SUBSCRIBERS", "30000"))
    database = ROOT / "var" / "bench-digests.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    # Setting up indexes at once; the digest run queues in the database for the worker.
    setup = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    env = {
        **setup,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
    }
    try:
        manage("migrate", "--no-input", env=setup)
        manage("load_demo_content", env=setup)
        manage("generate_demo_records", f"--count={CATALOGUE}", "--seed=1", env=setup)
        manage(
            "generate_demo_subscribers",
            f"--count={subscribers}",
            f"--new-records={NEW_RECORDS}",
            f"--date={RUN_DATE}",
            env=setup,
        )
        load_before_render = os.getloadavg()[0]
        output, queue_seconds = manage("send_digests", f"--date={RUN_DATE}", env=env)
        load_after_render = os.getloadavg()[0]
        # noqa below: progress for the operator (the send can take a while after this)
        print(output, f"render and queue: {queue_seconds:.0f} s", flush=True)  # noqa: T201
        expected = expected_recipients(database)
        contents, stored_mb = stored_email(database)
        print(f"{contents} distinct digests, {stored_mb:.0f} MB of email text", flush=True)  # noqa: T201
        _, send_seconds = manage("db_worker", "--batch", "--no-startup-delay", env=env)
        load_after_send = os.getloadavg()[0]
        # A subscriber to several services gets one email per service: compare per address.
        wanted = collections.Counter(expected)
        duplicates = sum(
            max(0, count - wanted[address]) for address, count in sink.received.items()
        )
        misses = sum(max(0, n - sink.received[address]) for address, n in wanted.items())
        again, again_seconds = manage("send_digests", f"--date={RUN_DATE}", env=env)
        manage("db_worker", "--batch", "--no-startup-delay", env=env)
        resent = sum(sink.received.values()) - len(expected)
    finally:
        controller.stop()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    rows = [
        "| subscribers | new records | emails | distinct digests stored | email text stored (MB) "
        "| render and queue (s) | send to SMTP sink (s) | emails/s "
        "| duplicates | misses | rerun (s) | resent on rerun |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {subscribers:,} | {NEW_RECORDS} | {len(expected):,} | {contents:,} | {stored_mb:,.0f} "
        f"| {queue_seconds:.0f} | {send_seconds:.0f} | {len(expected) / send_seconds:.0f} "
        f"| {duplicates} | {misses} | {again_seconds:.0f} | {resent} |",
    ]
    return [
        "## Weekly and monthly digests (SQLite, database task queue, aiosmtpd sink)",
        "",
        "Every service's run for one date: `send_digests` stores each distinct digest once "
        "(per issue and list of records) and one delivery row per subscriber and issue "
        "pointing at it, then queues batches of 50; one `db_worker --batch` sends them, each "
        "batch claimed in one transaction, its digests' MIME messages built once, each "
        "subscriber's copy spliced with their address and freshly signed links, over one SMTP "
        "connection. Times are of whole processes (start-up included); the sink is aiosmtpd "
        "in the bench process, counting every message it receives. Load average (1 minute) "
        f"{load_before_render:.1f} when the render began, {load_after_render:.1f} when it "
        f"ended and {load_after_send:.1f} when the send ended: other work on the 2 cores "
        "stretches these times.",
        "",
        *rows,
    ]
