"""Stock Wagtail search against Shelfmark's, on the same records and queries (issue 4).

Stock Wagtail and Shelfmark at 20,000 records are timed by `tests.bench.stock_worker`, run
once per database in its own process: a SQLite file (var/bench-stock-20k.sqlite3) and, when
the server answers, the PostgreSQL database BENCH_STOCK_POSTGRES_URL (created if missing).
Both are prepared on the first run and reused afterwards. Shelfmark at the bench database's
size (250,000 records by default) is timed here, in the bench process.

Targets: Shelfmark at least 1000 times faster than stock with facets on SQLite, and Shelfmark
at 250,000 records on SQLite faster than stock at 20,000 on PostgreSQL.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg
from django.db import DatabaseError, connection
from psycopg import sql

from library.models import CatalogueRecord
from library.search.engines import get_engine
from tests.bench.bench_api import ensure_catalogue
from tests.bench.bench_search import cold_search
from tests.bench.stock_worker import (
    AWKWARD_INPUTS,
    QUERIES,
    RECORDS,
    SHELFMARK_REPEAT,
    STOCK_BUDGET_SECONDS,
    STOCK_FACETS,
)
from tests.bench.timing import time_calls

ROOT = Path(__file__).resolve().parents[2]
SQLITE_PATH = ROOT / "var" / "bench-stock-20k.sqlite3"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/shelfmark_bench_stock"
# The test suite's databases: the bench must never create, fill or time anything in them.
RESERVED_DATABASES = {"test", "test_test"}
DEFAULT_RECORDS = 250_000
SPEED_TARGET = 1000
WORKER_TIMEOUT_SECONDS = 3600
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def ensure_postgres_database(url: str) -> str | None:
    """Create the PostgreSQL bench database if missing; a reason to skip it, or None."""
    config = dj_database_url.parse(url)
    name = config["NAME"]
    if name in RESERVED_DATABASES:
        raise ValueError(
            f"BENCH_STOCK_POSTGRES_URL names the database {name!r}, which the test suite uses; "
            "choose another name."
        )
    try:
        with psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
        ) as maintenance:
            found = maintenance.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not found:
                maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        return f"PostgreSQL at {config.get('HOST')}:{config.get('PORT')} did not answer ({reason})"
    return None


def run_worker(database_url: str) -> dict:
    """Prepare and time one 20,000-record database in a separate process."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    env.pop("ELASTICSEARCH_URL", None)  # Shelfmark's embedded engine, as in the comparison
    completed = subprocess.run(  # noqa: S603 - our own worker with fixed arguments
        [sys.executable, "-m", "tests.bench.stock_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        timeout=WORKER_TIMEOUT_SECONDS,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def ensure_main_records(count: int) -> int:
    """Live records in the bench database, generated only when there are too few."""
    try:
        existing = CatalogueRecord.objects.live().count()
    except DatabaseError:
        existing = 0
    return existing if existing >= count else ensure_catalogue(count)


def time_main(query: str) -> dict:
    durations = time_calls(lambda: cold_search(query), repeat=SHELFMARK_REPEAT, warmup=2)
    return {"ms": statistics.median(durations), "count": cold_search(query).count}


def stock_ms(outcome: dict | None) -> str:
    if outcome is None:
        return "not run"
    if outcome["error"]:
        return f"{outcome['error']} raised"
    if outcome["stopped_in"]:
        return f"> {STOCK_BUDGET_SECONDS} s (stopped)"
    return f"{outcome['total_ms']:,.0f}"


def stock_lower_bound_ms(outcome: dict) -> float:
    """The stock time, or the budget when stopped (so that ratios are lower bounds)."""
    if outcome["stopped_in"]:
        return STOCK_BUDGET_SECONDS * 1000
    return outcome["total_ms"]


def ratio(outcome: dict, shelfmark_ms: float) -> tuple[str, bool | None]:
    """The stock / Shelfmark ratio as text, and whether it meets SPEED_TARGET (None: unknown)."""
    if outcome["error"]:
        return "–", None
    value = stock_lower_bound_ms(outcome) / max(shelfmark_ms, 0.01)
    if outcome["stopped_in"]:
        return f"≥ {value:,.0f}×", True if value >= SPEED_TARGET else None
    return f"{value:,.0f}×", value >= SPEED_TARGET


def verdict(met: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[met]


def step_cell(outcome: dict, name: str) -> str:
    if name in outcome["ms"]:
        return f"{outcome['ms'][name]:,.0f}"
    return "stopped" if outcome["stopped_in"] == name else "–"


def breakdown_rows(label: str, report: dict) -> list[str]:
    rows = []
    for query in QUERIES:
        outcome = report["stock"][query.label]
        facets = [outcome["ms"].get(f"facet:{name}") for name in STOCK_FACETS]
        if all(value is not None for value in facets):
            facet_cell = f"{sum(facets):,.0f}"
        elif outcome["stopped_in"] and outcome["stopped_in"].startswith("facet:"):
            facet_cell = "stopped"
        else:
            facet_cell = "–"
        count = "–" if outcome["count"] is None else f"{outcome['count']:,}"
        rows.append(
            f"| {query.label} | {label} | {step_cell(outcome, 'search')} | "
            f"{step_cell(outcome, 'count')} | {facet_cell} | {stock_ms(outcome)} | {count} |"
        )
    return rows


def input_label(text: str) -> str:
    return f"only spaces (`{text!r}`)" if not text.strip() else f"`{text}`"


def awkward_cell(outcome: dict | None) -> str:
    if outcome is None:
        return "not run"
    if "error" in outcome:
        return f"{outcome['error']}"
    text = f"{outcome['count']:,} results"
    if outcome.get("messages") is not None:
        messages = outcome["messages"]
        text += "; message: " + (" ".join(messages) if messages else "none")
    return text


def preparation_text(label: str, report: dict) -> str:
    steps = ", ".join(
        f"{name} {seconds:.0f} s" for name, seconds in report["prepare_steps"].items()
    )
    state = "reused" if report["reused"] else "prepared"
    return f"{label} {state} in {report['prepare_seconds']:.0f} s ({steps})"


def run(options) -> list[str]:
    started = time.perf_counter()
    main_records = ensure_main_records(options.records or DEFAULT_RECORDS)
    main_database = VENDOR_NAMES.get(connection.vendor, connection.vendor)
    main_label = f"Shelfmark {main_database} {main_records:,}"

    sqlite = run_worker(f"sqlite:///{SQLITE_PATH}")
    postgres_url = os.environ.get("BENCH_STOCK_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    skipped = ensure_postgres_database(postgres_url)
    postgres = None if skipped else run_worker(postgres_url)
    main = {query.label: time_main(query.shelfmark) for query in QUERIES}
    seconds = time.perf_counter() - started

    rows = []
    for query in QUERIES:
        stock = sqlite["stock"][query.label]
        shelfmark = sqlite["shelfmark"][query.label]
        ratio_text, fast_enough = ratio(stock, shelfmark["ms"])
        large = main[query.label]
        if postgres is None:
            postgres_cell, beats_postgres = "not run", None
        else:
            stock_postgres = postgres["stock"][query.label]
            postgres_cell = stock_ms(stock_postgres)
            beats_postgres = (
                None
                if stock_postgres["error"]
                else large["ms"] < stock_lower_bound_ms(stock_postgres)
            )
        stock_count = "–" if stock["count"] is None else f"{stock['count']:,}"
        rows.append(
            f"| {query.label}: `{query.shelfmark}` | {stock_ms(stock)} | {shelfmark['ms']:.1f} | "
            f"{ratio_text} | {postgres_cell} | {large['ms']:.1f} | "
            f"{stock_count} / {shelfmark['count']:,} / {large['count']:,} | "
            f"{verdict(fast_enough)} | {verdict(beats_postgres)} |"
        )

    awkward_rows = [
        f"| {input_label(text)} | {awkward_cell(sqlite['stock_awkward'][text])} | "
        f"{awkward_cell(postgres['stock_awkward'][text] if postgres else None)} | "
        f"{awkward_cell(sqlite['shelfmark_awkward'][text])} |"
        for text in AWKWARD_INPUTS
    ]
    preparation = [preparation_text("SQLite", sqlite)]
    if postgres is not None:
        preparation.append(preparation_text("PostgreSQL", postgres))
    facets = ", ".join(f"`{name}`" for name in STOCK_FACETS)
    lines = [
        "## Stock Wagtail against Shelfmark",
        "",
        f"The same searches at {sqlite['records']:,} live records through stock Wagtail search "
        "(`CatalogueRecord.objects.live().search(q)` on Wagtail's database backend: FTS5 on "
        "SQLite, full text on PostgreSQL, with the `search_fields` of `CatalogueRecord`) and "
        "through Shelfmark (`search_catalogue`). A stock search is written as Wagtail's "
        "documentation shows it: the first 20 results, `.count()`, and `.facet(field)` for "
        f"{facets} only, since stock search cannot count subjects or the case review fields; "
        "Shelfmark counts all seven facets. Each stock search ran once, with "
        f"{STOCK_BUDGET_SECONDS} s for search, count and facets together, and was stopped when "
        "that ran out; a stopped search's ratio is a lower bound. Shelfmark times are medians "
        f"of {SHELFMARK_REPEAT} first-time searches (match cache emptied before each), here at "
        f"{sqlite['records']:,} records and in the bench database at {main_records:,} records "
        f"({main_database}, {get_engine().name} engine). Targets: Shelfmark at least "
        f"{SPEED_TARGET:,}× faster with facets on SQLite, and Shelfmark at {main_records:,} "
        f"records faster than stock at {RECORDS:,} on PostgreSQL.",
        "",
    ]
    if skipped:
        lines += [f"PostgreSQL columns not measured: {skipped}.", ""]
    lines += [
        f"| query | stock SQLite {RECORDS // 1000}k ms | Shelfmark SQLite {RECORDS // 1000}k ms "
        f"| ratio | stock PostgreSQL {RECORDS // 1000}k ms | {main_label} ms "
        f"| matches (stock / Shelfmark {RECORDS // 1000}k / Shelfmark {main_records:,}) "
        f"| ≥ {SPEED_TARGET:,}× on SQLite | {main_label} faster than stock PostgreSQL |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
        *rows,
        "",
        "Stock Wagtail, time by step (ms; each step runs the full-text match again):",
        "",
        "| query | database | first 20 | count | four facets | total | matches |",
        "|---|---|---:|---:|---:|---:|---:|",
        *breakdown_rows("SQLite", sqlite),
        *(breakdown_rows("PostgreSQL", postgres) if postgres else []),
        "",
        "Awkward input (stock: the exception raised or the number of results; Shelfmark: the "
        "number of results and the message shown to the user):",
        "",
        "| input | stock SQLite | stock PostgreSQL | Shelfmark SQLite |",
        "|---|---|---|---|",
        *awkward_rows,
        "",
        "Test databases (prepared on the first run, then reused): " + "; ".join(preparation) + ". "
        f"This benchmark took {seconds:.0f} s in all.",
    ]
    return lines
