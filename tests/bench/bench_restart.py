"""`make run` restarted on a large catalogue: the steps before the site serves, timed.

Runs the real commands of `make run` in child processes against the bench database (the
catalogue bench_search prepared, 250,000 records by default): once to load the demo content
(not timed: the first run loads and indexes), then the restart, timed step by step until the
home page answers, as wall-clock seconds and as the CPU seconds the processes used (on a busy
machine the wall clock mostly measures the others). A restart must not reload the demo
content: load_demo_content finds its stored fingerprint and does nothing.
"""

import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(step) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child processes) of `step()`."""
    cpu, started = children_cpu(), time.perf_counter()
    step()
    return time.perf_counter() - started, children_cpu() - cpu


def manage(*args: str, env: dict) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_until_answered(env: dict) -> None:
    """Start runserver and return once the home page has answered (then stop it)."""
    port = free_port()
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
                        return
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
        ("prepare_demo_site (migrate, load_demo_content, recover_stalled_tasks)",)
        + timed(lambda: manage("prepare_demo_site", env=env)),
        ("runserver until the home page answers",) + timed(lambda: serve_until_answered(env)),
    ]
    from library.models import CatalogueRecord

    records = CatalogueRecord.objects.count()
    rows = [f"| {name} | {wall:.1f} | {cpu:.1f} |" for name, wall, cpu in steps]
    wall_total = sum(wall for _name, wall, _cpu in steps)
    cpu_total = sum(cpu for _name, _wall, cpu in steps)
    return [
        "## Restarting `make run`",
        "",
        f"On {records:,} records, the demo content loaded once before.",
        "",
        "| step | seconds | CPU seconds |",
        "|---|---:|---:|",
        *rows,
        f"| **until it serves** | **{wall_total:.1f}** | **{cpu_total:.1f}** |",
    ]
