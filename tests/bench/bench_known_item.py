"""Known-item relevance at scale (issue 19): does a record's own title find it first?

Draws 200 records at random (a fixed seed) from the bench catalogue and searches, through
`search_catalogue` as an anonymous user: the exact title unquoted, the title with the first
author's surname, and an identifier (ISBN with and without hyphens, DOI with and without
its resolver address). The generator gives records no ISBN or DOI, so the first time this
runs it gives 50 of the drawn records one of each (valid, unique) and re-indexes them.
"""

import random
import time

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from library.identifiers import _isbn13_check_digit, normalise_title
from library.models import CatalogueRecord
from library.search import parse_search_params, search_catalogue
from library.search.indexing import index_records
from tests.bench.bench_search import ensure_records
from tests.bench.timing import percentile, section_title

SAMPLE = 200
IDENTIFIED = 50
SEED = 19
LOOK_AT = 20


def rank_of(query: str, pk: int) -> tuple[int | None, list[int]]:
    """The record's place in the first LOOK_AT results (1 = first), and those results."""
    results = search_catalogue(
        parse_search_params({"q": query, "limit": str(LOOK_AT)}), AnonymousUser()
    )
    ids = [hit.record.pk for hit in results.hits]
    return (ids.index(pk) + 1 if pk in ids else None), ids


def isbn_for(number: int) -> str:
    body = f"979{number:09d}"
    return body + _isbn13_check_digit(body)


def give_identifiers(records: list[CatalogueRecord]) -> None:
    """Unique ISBNs and DOIs for records that have none (kept in the bench database)."""
    changed = []
    for record in records:
        if record.isbn and record.doi:
            continue
        record.isbn = isbn_for(record.pk)
        record.doi = f"10.5555/bench.{record.pk}"
        changed.append(record)
    if changed:
        CatalogueRecord.objects.bulk_update(changed, ["isbn", "doi"])
        index_records([record.pk for record in changed])


def hyphenated(isbn: str) -> str:
    return f"{isbn[:3]}-{isbn[3]}-{isbn[4:8]}-{isbn[8:12]}-{isbn[12]}"


def surnames(ids: list[int]) -> dict[int, str]:
    placeholders = ", ".join("%s" for _ in ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT record_id, family_name FROM library_recordcontributor "  # noqa: S608 - placeholders only
            f"WHERE record_id IN ({placeholders}) ORDER BY record_id, sort_order DESC, id DESC",
            ids,
        )
        # Later rows win: the first author of each record is kept.
        return dict(cursor.fetchall())


def distinct_rank(record, rank: int | None, found: list[int]) -> int | None:
    """The record's place when the records ahead of it with its very title count as one:
    a title several records share cannot tell them apart."""
    if rank is None:
        return None
    ahead = CatalogueRecord.objects.filter(pk__in=found[: rank - 1])
    own = normalise_title(record.title)
    return 1 + len({normalise_title(other.title) for other in ahead} - {own})


def share(ranks: list[int | None], within: int) -> str:
    hits = sum(1 for rank in ranks if rank is not None and rank <= within)
    return f"{hits}/{len(ranks)} ({100 * hits / max(len(ranks), 1):.1f}%)"


def run(options) -> list[str]:
    total = ensure_records(options.records or 250_000)
    ids = sorted(CatalogueRecord.objects.live().values_list("pk", flat=True))
    chosen = random.Random(SEED).sample(ids, min(SAMPLE, len(ids)))  # noqa: S311 - a repeatable draw
    records = CatalogueRecord.objects.in_bulk(chosen)
    give_identifiers([records[pk] for pk in chosen[:IDENTIFIED]])
    records = CatalogueRecord.objects.in_bulk(chosen)
    authors = surnames(chosen)

    title_ranks, same_title_first, author_ranks, identifier_ranks, misses = [], 0, [], [], []
    distinct_ranks, author_misses, shared = [], [], []
    durations = []
    for pk in chosen:
        record = records[pk]
        started = time.perf_counter()
        rank, found = rank_of(record.title, pk)
        durations.append((time.perf_counter() - started) * 1000)
        title_ranks.append(rank)
        distinct_ranks.append(distinct_rank(record, rank, found))
        if rank != 1 and found:
            first = CatalogueRecord.objects.get(pk=found[0])
            if normalise_title(first.title) == normalise_title(record.title):
                same_title_first += 1
                if rank is None or rank > 5:
                    sharing = CatalogueRecord.objects.filter(
                        normalised_title=record.normalised_title
                    ).count()
                    shared.append((record.title, rank, sharing))
            else:
                misses.append((record.title, rank))
        if pk in authors:
            query = f"{record.title} {authors[pk]}"
            author_rank, author_found = rank_of(query, pk)
            author_ranks.append(author_rank)
            if author_rank != 1:
                ahead = CatalogueRecord.objects.filter(pk__in=author_found[:3])
                author_misses.append((query, author_rank, [r.title for r in ahead]))
    for pk in chosen[:IDENTIFIED]:
        record = records[pk]
        for query in (
            record.isbn,
            hyphenated(record.isbn),
            record.doi,
            f"https://doi.org/{record.doi}",
        ):
            identifier_ranks.append(rank_of(query, pk)[0])

    lines = [
        section_title("Known-item relevance"),
        "",
        f"{len(chosen)} records drawn at random (seed {SEED}) from {total:,} live records on "
        f"{connection.vendor}; each searched through `search_catalogue` as an anonymous user, "
        f"unquoted. Targets (issue 19): exact title first in ≥ 95% and in the top 5 in 100%; "
        f"title + author surname and identifiers first in 100%.",
        "",
        "| query | first | top 5 | top 20 |",
        "|---|---:|---:|---:|",
        f"| exact title | {share(title_ranks, 1)} | {share(title_ranks, 5)} | "
        f"{share(title_ranks, 20)} |",
        f"| exact title, records with that very title counted as one | "
        f"{share(distinct_ranks, 1)} | {share(distinct_ranks, 5)} | {share(distinct_ranks, 20)} |",
        f"| title + first author's surname | {share(author_ranks, 1)} | "
        f"{share(author_ranks, 5)} | {share(author_ranks, 20)} |",
        f"| ISBN (with and without hyphens), DOI (with and without resolver), "
        f"{IDENTIFIED} records | {share(identifier_ranks, 1)} | {share(identifier_ranks, 5)} | "
        f"{share(identifier_ranks, 20)} |",
        "",
        f"Exact-title searches not first because another record has the very same title "
        f"(the tie goes to the newer): {same_title_first}. Exact-title search time, "
        f"p50 {percentile(durations, 0.5):.1f} ms, p95 {percentile(durations, 0.95):.1f} ms "
        f"(caches warm from earlier rows).",
    ]
    if shared:
        lines += ["", "Exact titles outside the top 5 (rank; records sharing that very title):", ""]
        lines += [f"- {title} ({rank or '—'}; {count})" for title, rank, count in shared]
    if author_misses:
        lines += ["", "Title + surname searches not first (rank; the first results):", ""]
        lines += [f"- {query} ({rank or '—'}; {ahead})" for query, rank, ahead in author_misses]
    if misses:
        lines += ["", "Titles not first (rank, or — when beyond the first 20):", ""]
        lines += [f"- {title} ({rank or '—'})" for title, rank in misses[:10]]
    return lines
