"""`make run` restarted on a large catalogue: the steps before the site serves, timed.

Runs the real commands of `make run` in child processes against the bench database (the
catalogue bench_search prepared, 250,000 records by default): once to load the demo content
(not timed: the first run loads and indexes), then the restart, timed step by step until the
home page answers. A restart must not reload the demo content: load_demo_content finds its
stored fingerprint and does nothing.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict) -> float:
    """Seconds one management command takes, process start to exit."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_until_answered(env: dict) -> float:
    """Seconds from starting runserver to the home page's first answer."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as answer:  # noqa: S310 - our own server
                    if answer.status == 200:
                        return time.perf_counter() - started
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("runserver stopped before it answered") from None
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(options) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    manage("migrate", "--no-input", env=env)
    manage("load_demo_content", env=env)  # the first run: loads, indexes, stores the fingerprint
    steps = [
        ("migrate", manage("migrate", "--no-input", env=env)),
        ("load_demo_content", manage("load_demo_content", env=env)),
        ("recover_stalled_tasks", manage("recover_stalled_tasks", env=env)),
        ("runserver until the home page answers", serve_until_answered(env)),
    ]
    from library.models import CatalogueRecord

    records = CatalogueRecord.objects.count()
    rows = [f"| {name} | {seconds:.1f} |" for name, seconds in steps]
    total = sum(seconds for _name, seconds in steps)
    return [
        "## Restarting `make run`",
        "",
        f"On {records:,} records, the demo content loaded once before.",
        "",
        "| step | seconds |",
        "|---|---:|",
        *rows,
        f"| **until it serves** | **{total:.1f}** |",
    ]
