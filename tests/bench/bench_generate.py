"""Bulk generation of synthetic records (`generate_demo_records`) from an empty catalogue.

Runs the real commands in a child process against a fresh SQLite file of its own
(var/bench-generate.sqlite3), so the bench database used by the search benchmark is left
alone and every run starts from the same empty state. The search index is not rebuilt here:
that is the search benchmark's business.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COUNT = 250_000


def manage(*args: str, env: dict) -> str:
    completed = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def run(options) -> list[str]:
    count = options.records or DEFAULT_COUNT
    database = ROOT / "var" / "bench-generate.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    manage("migrate", "--no-input", env=env)
    manage("load_demo_content", "--records=0", env=env)
    started = time.perf_counter()
    output = manage("generate_demo_records", f"--count={count}", "--seed=1", "--no-index", env=env)
    wall = time.perf_counter() - started
    inside = re.search(r"in ([\d.]+) s\.", output)
    seconds = float(inside.group(1)) if inside else wall
    rows = [
        "| records | seconds (command) | seconds (process) | records per second |",
        "|---:|---:|---:|---:|",
        f"| {count:,} | {seconds:.0f} | {wall:.0f} | {count / seconds:,.0f} |",
    ]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return ["## Generating synthetic records (SQLite, from empty)", "", *rows]
