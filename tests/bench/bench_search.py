"""Catalogue search at scale: the query kinds of issue 4, with every facet counted.

Uses the records already in the bench database; generates them first when there are fewer
than --records (default 250,000). Reports the full search (parse, thesaurus, engine, facets,
page of records, labels) and the bare engine match for the same query, so the overhead
above the engine shows.
"""

import io
import time

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection

from library.models import CatalogueRecord
from library.search import parse_search_params, search_catalogue
from library.search.engines import get_engine
from library.search.indexing import rebuild_index
from library.search.models import SearchEntry, SearchIndexState
from library.search.query import parse_query
from library.search.thesaurus import expand
from tests.bench.timing import TABLE_HEADER, percentile, section_title, summary_row, time_calls

QUERIES = {
    "single word (common)": ["child", "neglect", "safeguarding", "abuse"],
    "single word (rarer)": ["adolescent", "domestic", "grooming", "toddler"],
    "phrase": ['"child protection"', '"serious case review"', '"domestic abuse"'],
    "fielded": ["title:neglect", "subject:neglect", "author:smith", "neglect year:2010..2015"],
    "prefix": ["child*", "safeguard*", "abus*", "neglect*"],
    "boolean": [
        "neglect AND (school OR health) NOT review",
        "abuse -online",
        "(sexual OR physical) AND abuse",
    ],
}
REPEAT = 15


def ensure_records(count: int) -> int:
    existing = CatalogueRecord.objects.live().count()
    if existing < count:
        call_command(
            "generate_demo_records",
            count=count - existing,
            seed=existing + 1,
            stdout=io.StringIO(),
        )
    return CatalogueRecord.objects.live().count()


def full_search(query: str, **extra):
    params = parse_search_params({"q": query, **extra})
    return search_catalogue(params, AnonymousUser())


def cold_search(query: str, **extra):
    """A search never run before in this process (no cached match or counts)."""
    snapshot = get_engine().snapshot()
    snapshot.matches.clear()
    snapshot.counts.clear()
    return full_search(query, **extra)


def bare_engine(query: str) -> None:
    """The engine's own match for the query's words, without facets or records."""
    engine = get_engine()
    tree = expand(parse_query(query).tree, engine.snapshot().synonyms)
    expression = engine.compile(tree) if tree is not None else None
    if expression is not None:
        engine.match_ids(expression)


# Each row with the bare engine's match of the same queries beside it (no match there for a
# browse, which asks the engine for nothing).
HEADER = [
    TABLE_HEADER[0] + " bare engine p50 ms | bare engine p95 ms |",
    TABLE_HEADER[1] + "---:|---:|",
]


def with_bare(row: str, bare: list[float] | None) -> str:
    if not bare:
        return row + " – | – |"
    return row + f" {percentile(bare, 0.5):.1f} | {percentile(bare, 0.95):.1f} |"


def index_is_complete(total: int) -> bool:
    """Whether the index holds every live record (so --keep-index may skip the rebuild)."""
    return SearchEntry.objects.count() == total


def run(options) -> list[str]:
    total = ensure_records(options.records or 250_000)
    rebuild_note = ""
    if getattr(options, "keep_index", False) and index_is_complete(total):
        rebuild_note = "The index built earlier was kept (--keep-index). "
    else:
        started = time.perf_counter()
        rebuild_index()
        rebuild_note = f"A full index rebuild took {time.perf_counter() - started:.0f} s. "
    started = time.perf_counter()
    get_engine().make_snapshot(SearchIndexState.current())
    load_ms = (time.perf_counter() - started) * 1000

    rows, warm_rows, overhead_rows, all_full, all_warm, all_bare = [], [], [], [], [], []
    for kind, queries in QUERIES.items():
        full, warm, bare = [], [], []
        for query in queries:
            full += time_calls(lambda q=query: cold_search(q), repeat=REPEAT)
            warm += time_calls(lambda q=query: full_search(q), repeat=REPEAT)
            bare += time_calls(lambda q=query: bare_engine(q), repeat=REPEAT)
        all_full += full
        all_warm += warm
        all_bare += bare
        rows.append(with_bare(summary_row(f"{kind}, all facets", full), bare))
        warm_rows.append(with_bare(summary_row(f"{kind}, all facets, repeated", warm), bare))
        overhead_rows.append(
            f"| {kind} | {percentile(bare, 0.5):.1f} | {percentile(full, 0.5):.1f} | "
            f"{percentile(full, 0.5) / max(percentile(bare, 0.5), 0.01):.1f}× |"
        )
    rows.append(with_bare(summary_row("all query kinds together", all_full), all_bare))
    warm_rows.append(
        with_bare(summary_row("all query kinds together, repeated", all_warm), all_bare)
    )

    child_bare = time_calls(lambda: bare_engine("child"), repeat=REPEAT)
    first_page = time_calls(lambda: cold_search("child"), repeat=REPEAT)
    deep_page = time_calls(lambda: cold_search("child", offset="9980"), repeat=REPEAT)
    rows.append(with_bare(summary_row('"child", page 1 of 20', first_page), child_bare))
    rows.append(with_bare(summary_row('"child", page 500 of 20', deep_page), child_bare))
    filtered = time_calls(
        lambda: cold_search("neglect", type="report", nation="england", year_from="2000"),
        repeat=REPEAT,
    )
    neglect_bare = time_calls(lambda: bare_engine("neglect"), repeat=REPEAT)
    rows.append(with_bare(summary_row("word + three filters", filtered), neglect_bare))
    empty = time_calls(lambda: full_search(""), repeat=REPEAT)
    rows.append(with_bare(summary_row("no query (browse, newest first)", empty), None))

    matches = full_search("child").count
    return [
        section_title("Catalogue search"),
        "",
        f"{total:,} live records on {connection.vendor} ({get_engine().name} engine); "
        f'"child" matches {matches:,}. Every row computes all seven facets. '
        f"{rebuild_note}Loading the in-memory facet columns "
        f"took {load_ms:.0f} ms (once per process, and in the background after each index change).",
        "",
        "First-time searches (the match and count caches are emptied before every call):",
        "",
        *HEADER,
        *rows,
        "",
        "The same searches repeated, as when a user pages through results or several users "
        "run a popular search (matches, totals and facet counts come from the per-process "
        "caches until the index changes):",
        "",
        *HEADER,
        *warm_rows,
        "",
        "Overhead above the bare engine match (median ms):",
        "",
        "| query kind | bare engine | full search | ratio |",
        "|---|---:|---:|---:|",
        *overhead_rows,
        "",
        f"Deep paging: page 500 / page 1 = "
        f"{np.median(deep_page) / max(np.median(first_page), 0.01):.2f}.",
    ]
