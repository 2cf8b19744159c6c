"""Worker for bench_stock: one 20,000-record database, stock Wagtail search against Shelfmark's.

Run as `python -m tests.bench.stock_worker` with DATABASE_URL naming the database (SQLite or
PostgreSQL). It prepares the database unless already prepared (records, Wagtail's own search
index with `update_index`, Shelfmark's with `rebuild_catalogue_index`), times the searches in
QUERIES both ways, tries the awkward inputs in AWKWARD_INPUTS, and writes one JSON object on
the last line of stdout. Progress goes to stderr.

Stock searches are written as Wagtail's documentation shows them and run once each: they can
take minutes, so each gets STOCK_BUDGET_SECONDS for search, count and facets together and is
stopped when that runs out (sqlite3's `interrupt()`; PostgreSQL's `statement_timeout`).
"""

import contextlib
import io
import json
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass

RECORDS = 20_000
STOCK_BUDGET_SECONDS = 60
SHELFMARK_REPEAT = 7
# The FilterFields of CatalogueRecord.search_fields: all that stock search can count.
STOCK_FACETS = ("record_type", "publication_year", "nation", "availability")


@dataclass(frozen=True)
class BenchQuery:
    """One search, as typed into Shelfmark and as a developer would pass it to Wagtail."""

    label: str
    shelfmark: str
    stock: str
    stock_style: str = "plain"  # "plain", "phrase" (a Phrase object) or "and" (operator="and")


QUERIES = [
    BenchQuery("common word", "neglect", "neglect"),
    # Ranked about 180th of the generator's 2,951 title and abstract words.
    BenchQuery("rarer word", "radicalisation", "radicalisation"),
    BenchQuery("phrase", '"child protection"', "child protection", "phrase"),
    BenchQuery("two words", "neglect school", "neglect school", "and"),
]
# "néglect" is a catalogue word with an accent added: it shows whether accents are folded.
AWKWARD_INPUTS = ['"child protection', "   ", "négligé", "néglect"]


# Preparation steps that write records or indexes (migrate and ANALYZE do not count).
BUILD_STEPS = {
    "load_demo_content",
    "generate_demo_records",
    "update_index",
    "rebuild_catalogue_index",
}


class BudgetExceeded(Exception):
    """A stock search ran past its time budget and was stopped."""


class Budget:
    """Stops database work once `seconds` have passed, however many queries it takes."""

    def __init__(self, connection, seconds: float):
        self.connection = connection
        self.deadline = time.monotonic() + seconds

    def run(self, step):
        """Run `step()`, interrupting its queries when the budget runs out."""
        from django.db import OperationalError

        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise BudgetExceeded
        self.connection.ensure_connection()
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [max(1, int(remaining * 1000))])
            timer = None
        else:
            timer = threading.Timer(remaining, self.connection.connection.interrupt)
            timer.start()
        try:
            return step()
        except OperationalError as error:
            if "interrupted" in str(error) or "statement timeout" in str(error):
                raise BudgetExceeded from error
            raise
        finally:
            if timer is not None:
                timer.cancel()
            if self.connection.vendor == "postgresql":
                with self.connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout = 0")


def progress(message: str) -> None:
    sys.stderr.write(f"[stock_worker] {message}\n")
    sys.stderr.flush()


def prepare(records: int) -> dict:
    """Bring the database to `records` live records with both search indexes built."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from wagtail.search.models import IndexEntry

    from home.models import HomePage
    from library.models import CaseReview, CatalogueRecord
    from library.search.models import SearchEntry

    seconds: dict[str, float] = {}

    def timed(name, *args, **kwargs):
        progress(f"{name} ...")
        started = time.perf_counter()
        call_command(*args, stdout=io.StringIO(), **kwargs)
        seconds[name] = time.perf_counter() - started

    timed("migrate", "migrate", verbosity=0)
    if not HomePage.objects.exists():
        timed("load_demo_content", "load_demo_content", records=0)
    existing = CatalogueRecord.objects.live().count()
    if existing < records:
        timed(
            "generate_demo_records",
            "generate_demo_records",
            count=records - existing,
            seed=existing + 1,
            no_index=True,
        )
    total = CatalogueRecord.objects.live().count()
    content_types = ContentType.objects.get_for_models(CatalogueRecord, CaseReview).values()
    if IndexEntry.objects.filter(content_type__in=content_types).count() < total:
        timed("update_index", "update_index", verbosity=0)
    if SearchEntry.objects.count() < total:
        timed("rebuild_catalogue_index", "rebuild_catalogue_index", no_progress=True)
    if len(seconds) > 1 or not has_statistics():
        progress("ANALYZE ...")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds["ANALYZE"] = time.perf_counter() - started
    return {"records": total, "seconds": seconds, "reused": not BUILD_STEPS & set(seconds)}


def has_statistics() -> bool:
    """Whether the planner has statistics for Wagtail's index table.

    A deployed PostgreSQL gathers them by autovacuum, which may be off on a bench server, and
    SQLite only has them after ANALYZE; without them both plan the stock queries badly.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname = 'wagtailsearch_indexentry'"
            )
            row = cursor.fetchone()
            return bool(row and row[0])
        if "sqlite_stat1" not in connection.introspection.table_names(cursor):
            return False
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'wagtailsearch_indexentry'")
        return cursor.fetchone() is not None


def stock_search(query: BenchQuery | str):
    """`CatalogueRecord.objects.live().search(...)` as Wagtail's documentation writes it."""
    from wagtail.search.query import Phrase

    from library.models import CatalogueRecord

    records = CatalogueRecord.objects.live()
    if isinstance(query, str):
        return records.search(query)
    if query.stock_style == "phrase":
        return records.search(Phrase(query.stock))
    if query.stock_style == "and":
        return records.search(query.stock, operator="and")
    return records.search(query.stock)


def time_stock(query: BenchQuery) -> dict:
    """Milliseconds for the first 20 results, the count and each facet, within the budget."""
    from django.db import connection

    results = stock_search(query)
    budget = Budget(connection, STOCK_BUDGET_SECONDS)
    steps = [("search", lambda: list(results[:20])), ("count", results.count)]
    steps += [(f"facet:{name}", lambda n=name: dict(results.facet(n))) for name in STOCK_FACETS]
    outcome = {"ms": {}, "stopped_in": None, "error": None, "count": None}
    started = time.perf_counter()
    for name, step in steps:
        step_started = time.perf_counter()
        try:
            value = budget.run(step)
        except BudgetExceeded:
            outcome["stopped_in"] = name
            break
        except Exception as error:  # noqa: BLE001 - reported in the table, not hidden
            outcome["error"] = type(error).__name__
            break
        outcome["ms"][name] = (time.perf_counter() - step_started) * 1000
        if name == "count":
            outcome["count"] = value
    outcome["total_ms"] = (time.perf_counter() - started) * 1000
    if outcome["count"] is None and outcome["error"] is None:
        # Stopped before counting: count now, untimed, so the table can show the matches.
        with contextlib.suppress(BudgetExceeded):
            outcome["count"] = Budget(connection, STOCK_BUDGET_SECONDS).run(results.count)
    return outcome


def stock_awkward(text: str) -> dict:
    """What stock search does with awkward input: the count, or the exception raised.

    Only `.count()` runs: it raises what fetching results would, without the slow ranking.
    """
    from django.db import connection

    budget = Budget(connection, STOCK_BUDGET_SECONDS)
    try:
        return {"count": budget.run(stock_search(text).count)}
    except BudgetExceeded:
        return {"error": f"stopped after {STOCK_BUDGET_SECONDS} s"}
    except Exception as error:  # noqa: BLE001 - what stock search raises is the finding
        return {"error": type(error).__name__, "detail": str(error)[:200]}


def time_shelfmark(query: str) -> dict:
    """Median milliseconds of first-time Shelfmark searches, all seven facets counted."""
    from tests.bench.bench_search import cold_search
    from tests.bench.timing import time_calls

    durations = time_calls(lambda: cold_search(query), repeat=SHELFMARK_REPEAT, warmup=2)
    return {"ms": statistics.median(durations), "count": cold_search(query).count}


def shelfmark_awkward(text: str) -> dict:
    """Shelfmark's count and messages for awkward input (it should never raise)."""
    from tests.bench.bench_search import cold_search

    try:
        results = cold_search(text)
    except Exception as error:  # noqa: BLE001 - reported in the table, not hidden
        return {"error": type(error).__name__}
    return {"count": results.count, "messages": [str(m) for m in results.messages]}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.db import connection

    started = time.perf_counter()
    prepared = prepare(RECORDS)
    prepare_seconds = time.perf_counter() - started
    report = {
        "vendor": connection.vendor,
        "records": prepared["records"],
        "prepare_seconds": prepare_seconds,
        "prepare_steps": prepared["seconds"],
        "reused": prepared["reused"],
        "stock": {},
        "shelfmark": {},
        "stock_awkward": {},
        "shelfmark_awkward": {},
    }
    for query in QUERIES:
        progress(f"stock {query.label}: {query.stock!r}")
        report["stock"][query.label] = time_stock(query)
    for text in AWKWARD_INPUTS:
        progress(f"stock awkward input {text!r}")
        report["stock_awkward"][text] = stock_awkward(text)
    if connection.vendor == "sqlite":
        for query in QUERIES:
            progress(f"Shelfmark {query.label}: {query.shelfmark!r}")
            report["shelfmark"][query.label] = time_shelfmark(query.shelfmark)
        for text in AWKWARD_INPUTS:
            report["shelfmark_awkward"][text] = shelfmark_awkward(text)
    report["seconds"] = time.perf_counter() - started
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
