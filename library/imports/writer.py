"""Write imported records: new ones in bulk, matched ones updated without losing edits.

Records are written in batches, each batch in one transaction, so a crash or Ctrl-C leaves
every record either whole or absent. A record matches an existing one by its source
identifier (MARC 001/035, a reference's id), then its ISBN, its DOI, then its normalised title
and year. The values each import wrote are kept (`ImportedRecordSource.imported_values`): a
field whose current value differs from them was edited by a librarian since, so it is kept
and the report says so.
"""

import contextlib
import datetime
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from more_itertools import chunked
from taggit.models import Tag
from wagtail.models import Page

from library.bulk import TreeWriter, delete_rows, insert_rows, insert_tuples
from library.identifiers import isbn_to_10, isbn_to_13, normalise_title
from library.imports.records import (
    LIST_FIELDS,
    SCALAR_FIELDS,
    ImportedRecord,
    Rejection,
    check,
)
from library.models import (
    CatalogueRecord,
    ImportedRecordSource,
    ImportedSourceId,
    LibraryIndexPage,
    RecordContributor,
    RecordKeyword,
    Subject,
)
from library.models.snippets import split_terms
from library.record_details import (
    PREPARE_CHUNK,
    forget_prepared_details,
    fork_pool,
    load_records,
    prepare_loaded_records,
)
from library.search.indexing import DocumentBuilder, indexable, store_documents
from library.visibility import VisibilityState

BATCH_SIZE = 1000
PREVIEW_SIZE = 20


class NoParent(ValueError):
    """There is no library page to import under (or the one named is not one)."""


@dataclass
class ImportReport:
    """What an import did or, in a dry run, would do."""

    imported: int = 0
    updated: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    written_ids: list[int] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def read(self) -> int:
        return self.imported + self.updated + self.rejected

    def summary(self) -> str:
        """The closing line: exactly "imported N, updated U, rejected R"."""
        return f"imported {self.imported}, updated {self.updated}, rejected {self.rejected}"

    def lines(self) -> list[str]:
        """The whole report: rejections, kept edits, then the summary."""
        return [
            *(f"rejected {rejection}" for rejection in self.rejections),
            *self.notes,
            self.summary(),
        ]


def import_parent(slug: str | None = None) -> Page:
    """The library page records are imported under: the one with this slug, else the first."""
    pages = LibraryIndexPage.objects.all()
    if slug:
        page = pages.filter(slug=slug).first()
        if page is None:
            raise NoParent(
                f"There is no library catalogue page with the slug “{slug}”; records can be "
                "imported only under a library catalogue page."
            )
        return page
    page = pages.order_by("path").first()
    if page is None:
        raise NoParent("There is no library catalogue page to import under; create one first.")
    return page


class Vocabulary:
    """Thesaurus subjects by preferred and use-for term, and keyword tags, read once."""

    def __init__(self):
        self.subjects: dict[str, int] = {}
        for pk, use_for in Subject.objects.values_list("pk", "use_for"):
            for term in split_terms(use_for):
                self.subjects.setdefault(term.casefold(), pk)
        # Preferred terms win over another subject's use-for term.
        for pk, name in Subject.objects.values_list("pk", "name"):
            self.subjects[name.casefold()] = pk
        self.tags: dict[str, int] = {}

    def file_terms(self, record: ImportedRecord) -> None:
        """Each term of the record under its subject, or else as a free keyword."""
        subjects, keywords = [], []
        for term in record.terms:
            pk = self.subjects.get(term.casefold())
            if pk is not None:
                subjects.append(pk)
            else:
                keywords.append(term[:100])
        record.subjects = sorted(set(subjects))
        record.keywords = list(dict.fromkeys(keywords))

    def tag_ids(self, names: Iterable[str]) -> dict[str, int]:
        wanted = {name for name in names if name not in self.tags}
        if wanted:
            for pk, name in Tag.objects.filter(name__in=wanted).values_list("pk", "name"):
                self.tags[name] = pk
            for name in wanted - set(self.tags):
                slug = slugify(name)[:90] or "keyword"
                if Tag.objects.filter(slug=slug).exists():
                    slug = f"{slug}-{uuid.uuid4().hex[:8]}"
                self.tags[name] = Tag.objects.create(name=name, slug=slug).pk
        return self.tags


def _match_keys(record: ImportedRecord) -> list[tuple[str, str]]:
    keys = [("source", source_id) for source_id in record.source_ids]
    if record.isbn:
        keys += [("isbn", form) for form in {record.isbn, isbn_to_13(record.isbn)} if form]
        if isbn_to_10(record.isbn):
            keys.append(("isbn", isbn_to_10(record.isbn)))
    if record.doi:
        keys.append(("doi", record.doi))
    keys.append(("title", f"{normalise_title(record.title)[:600]}|{record.publication_year}"))
    return keys


def _find_matches(batch: list[ImportedRecord]) -> list[int | None]:
    """The existing record each imported record matches, in the order of precedence."""
    found: dict[tuple[str, str], int] = {}
    source_ids = {sid for record in batch for sid in record.source_ids}
    for sid, pk in ImportedSourceId.objects.filter(source_id__in=source_ids).values_list(
        "source_id", "record_id"
    ):
        found.setdefault(("source", sid), pk)
    keys = [key for record in batch for key in _match_keys(record)]
    isbns = {value for kind, value in keys if kind == "isbn"}
    dois = {value for kind, value in keys if kind == "doi"}
    records = CatalogueRecord.objects.order_by("pk")
    for pk, isbn in records.filter(isbn__in=isbns).values_list("pk", "isbn"):
        found.setdefault(("isbn", isbn), pk)
    for pk, doi in records.filter(doi__in=dois).values_list("pk", "doi"):
        found.setdefault(("doi", doi), pk)
    by_title: dict[str, list[tuple[int, str, str]]] = {}
    titled = {(normalise_title(r.title)[:600], r.publication_year) for r in batch}
    for pk, title, year, isbn, doi in _same_title_and_year(titled):
        by_title.setdefault(f"{title}|{year}", []).append((pk, isbn, doi))
    known_sources: dict[int, set[str]] = {}
    candidates = [pk for rows in by_title.values() for pk, _isbn, _doi in rows]
    for pk, sid in ImportedSourceId.objects.filter(record_id__in=candidates).values_list(
        "record_id", "source_id"
    ):
        known_sources.setdefault(pk, set()).add(sid)
    matches = []
    for record in batch:
        match = None
        for key in _match_keys(record):
            if key[0] == "title":
                match = _same_work(record, by_title.get(key[1], []), known_sources)
            elif key in found:
                match = found[key]
            if match is not None:
                break
        matches.append(match)
    return matches


def _same_title_and_year(pairs: set[tuple[str, int | None]]) -> list[tuple]:
    """(pk, title, year, ISBN, DOI) of the records with one of these normalised titles and
    years, in pk order. By title and year together: a common title ("Annual report") matches
    thousands of records of other years, and reading them all made each batch slower than
    the last (quadratic in the size of the catalogue)."""
    table = connection.ops.quote_name(CatalogueRecord._meta.db_table)
    rows: list[tuple] = []
    for chunk in chunked(sorted(pairs, key=lambda pair: (pair[0], pair[1] or 0)), 400):
        terms, params = [], []
        for title, year in chunk:
            if year is None:
                terms.append("(normalised_title = %s AND publication_year IS NULL)")
                params.append(title)
            else:
                terms.append("(normalised_title = %s AND publication_year = %s)")
                params += [title, year]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT page_ptr_id, normalised_title, publication_year, isbn, doi "  # noqa: S608 - the table name only
                f"FROM {table} WHERE {' OR '.join(terms)}",
                params,
            )
            rows += cursor.fetchall()
    return sorted(rows)


def _same_work(record: ImportedRecord, rows, known_sources: dict[int, set[str]]) -> int | None:
    """The first record of the same title and year that no identifier tells apart: a
    different ISBN, DOI or source identifier on both sides means a different work."""
    for pk, isbn, doi in rows:
        if record.isbn and isbn and record.isbn != isbn:
            continue
        if record.doi and doi and record.doi != doi:
            continue
        sources = known_sources.get(pk)
        if record.source_ids and sources and not sources & set(record.source_ids):
            continue
        return pk
    return None


class RecordWriter:
    """Writes checked records under one parent, batch by batch."""

    def __init__(self, parent: Page, report: ImportReport):
        self.parent = parent
        self.report = report
        self.tree = TreeWriter(parent, CatalogueRecord)
        self.vocabulary = Vocabulary()

    def write(self, batch: list[ImportedRecord]) -> None:
        """Write one batch in one transaction."""
        for record in batch:
            self.vocabulary.file_terms(record)
        with transaction.atomic():
            matches = _find_matches(batch)
            new = [record for record, match in zip(batch, matches, strict=True) if match is None]
            created = self._create(new)
            for record, match in zip(batch, matches, strict=True):
                if match is not None:
                    self._update(match, record)
            VisibilityState.bump()
        created_ids = iter(created)
        for record, match in zip(batch, matches, strict=True):
            pk = match if match is not None else next(created_ids)
            self.report.written_ids.append(pk)
            if len(self.report.preview) < PREVIEW_SIZE:
                self.report.preview.append(_preview(record, pk, match is not None))
        self.report.imported += len(new)
        self.report.updated += len(batch) - len(new)

    def _create(self, new: list[ImportedRecord]) -> list[int]:
        if not new:
            return []
        now = timezone.now()
        ids = self.tree.insert_pages([(r.title, now) for r in new])
        today = timezone.localdate()
        insert_rows(
            CatalogueRecord,
            [_record_row(pk, record, today) for pk, record in zip(ids, new, strict=True)],
        )
        pairs = list(zip(ids, new, strict=True))
        self._insert_lists(pairs)
        insert_rows(
            ImportedRecordSource,
            [
                {
                    "record_id": pk,
                    "source_ids": "\n".join(record.source_ids),
                    "imported_values": record.values(),
                    "imported_at": now,
                }
                for pk, record in pairs
            ],
        )
        insert_tuples(
            ImportedSourceId,
            ["source_id", "record"],
            ((sid[:255], pk) for pk, record in pairs for sid in record.source_ids),
        )
        self.tree.grow_parent(len(new))
        return ids

    def _insert_lists(self, pairs: list[tuple[int, ImportedRecord]]) -> None:
        insert_tuples(
            RecordContributor,
            ["record", "sort_order", "family_name", "given_names", "is_organisation", "role"],
            (
                (pk, order, c.family_name, c.given_names, c.is_organisation, str(c.role))
                for pk, record in pairs
                for order, c in enumerate(record.contributors)
            ),
        )
        insert_tuples(
            CatalogueRecord.subjects.through,
            ["cataloguerecord", "subject"],
            ((pk, subject) for pk, record in pairs for subject in record.subjects),
        )
        tags = self.vocabulary.tag_ids(name for _pk, record in pairs for name in record.keywords)
        insert_tuples(
            RecordKeyword,
            ["content_object", "tag"],
            ((pk, tags[name]) for pk, record in pairs for name in record.keywords),
        )

    def _update(self, pk: int, record: ImportedRecord) -> None:
        existing = CatalogueRecord.objects.get(pk=pk)
        source = ImportedRecordSource.objects.filter(record_id=pk).first()
        last = source.imported_values if source is not None else None
        current = _current_values(existing)
        wanted = record.values()
        changes = {}
        for name, value in wanted.items():
            now = current[name]
            if now == value:
                continue
            label = _label(name)
            if last is None:
                # Catalogued here and never imported: everything in it is a librarian's work.
                if now in ("", None, []):
                    changes[name] = value
                else:
                    self.report.notes.append(
                        f"kept the catalogue's {label} on “{existing.title}” (record {pk}, "
                        f"{record.position}): it was catalogued here, not imported"
                    )
            elif name in last and now != last[name]:
                self.report.notes.append(
                    f"kept librarian's edit of {label} on “{existing.title}” (record {pk}, "
                    f"{record.position})"
                )
            else:
                changes[name] = value
        self._apply(existing, record, changes)
        now = timezone.now()
        ImportedRecordSource.objects.update_or_create(
            record_id=pk,
            defaults={
                "source_ids": "\n".join(record.source_ids),
                "imported_values": wanted,
                "imported_at": now,
            },
        )
        known = set(
            ImportedSourceId.objects.filter(record_id=pk).values_list("source_id", flat=True)
        )
        insert_tuples(
            ImportedSourceId,
            ["source_id", "record"],
            ((sid[:255], pk) for sid in record.source_ids if sid[:255] not in known),
        )

    def _apply(self, existing: CatalogueRecord, record: ImportedRecord, changes: dict) -> None:
        if not changes:
            return
        pk = existing.pk
        scalars = {name: getattr(record, name) for name in SCALAR_FIELDS if name in changes}
        if "title" in scalars:
            scalars["draft_title"] = scalars["title"]
            scalars["normalised_title"] = normalise_title(scalars["title"])[:600]
        # The live record changes now; its detail and index entry follow below (bulk).
        CatalogueRecord.objects.filter(pk=pk).update(last_published_at=timezone.now(), **scalars)
        # Without signals: each would queue its own index update; the import indexes in bulk.
        if "contributors" in changes:
            delete_rows(RecordContributor, "record", pk)
        if "subjects" in changes:
            delete_rows(CatalogueRecord.subjects.through, "cataloguerecord", pk)
        if "keywords" in changes:
            delete_rows(RecordKeyword, "content_object", pk)
        partial = ImportedRecord(position=record.position)
        for name in LIST_FIELDS:
            if name in changes:
                setattr(partial, name, getattr(record, name))
        self._insert_lists([(pk, partial)])
        if existing.latest_revision_id and not existing.has_unpublished_changes:
            # Keep the editor in step: it opens the latest revision, so publish one with the
            # imported values (a record with a draft keeps its draft untouched).
            page = CatalogueRecord.objects.get(pk=pk).specific
            page.save_revision(clean=False).publish(skip_permission_checks=True)


def _label(name: str) -> str:
    if name in LIST_FIELDS:
        return name
    return str(CatalogueRecord._meta.get_field(name).verbose_name)


def _current_values(record: CatalogueRecord) -> dict:
    data = {name: getattr(record, name) for name in SCALAR_FIELDS}
    data["contributors"] = [
        [c.family_name, c.given_names, c.is_organisation, c.role]
        for c in record.contributors.order_by("sort_order", "pk")
    ]
    data["subjects"] = sorted(record.subjects.values_list("pk", flat=True))
    data["keywords"] = sorted(
        RecordKeyword.objects.filter(content_object_id=record.pk).values_list(
            "tag__name", flat=True
        )
    )
    return data


def _record_row(pk: int, record: ImportedRecord, today: datetime.date) -> dict:
    row = {name: getattr(record, name) for name in SCALAR_FIELDS if name != "title"}
    row.update(
        page_ptr_id=pk,
        record_type=str(record.record_type),
        date_added=today,
        normalised_title=normalise_title(record.title)[:600],
    )
    return row


def _preview(record: ImportedRecord, pk: int, updated: bool) -> dict:
    return {
        "position": record.position,
        "title": record.title,
        "subtitle": record.subtitle,
        "year": record.publication_year,
        "authors": "; ".join(
            ", ".join(part for part in (c.family_name, c.given_names) if part)
            for c in record.contributors
        ),
        "action": f"update record {pk}" if updated else "new record",
    }


def import_records(
    entries: Iterable[ImportedRecord | Rejection],
    parent: Page,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    on_rejection: Callable[[Rejection], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_written: Callable[[list[int]], None] | None = None,
) -> ImportReport:
    """Check and write these records under `parent`; a dry run rolls everything back.

    `on_written` hears the ids of each batch once it is committed (never in a dry run), so
    they can be indexed and prepared meanwhile (`IndexAndPrepare`); else index and prepare
    the written records afterwards (`index_and_prepare`)."""
    report = ImportReport()
    # Each batch commits on its own; a dry run holds them all in one transaction it rolls back.
    with transaction.atomic() if dry_run else contextlib.nullcontext():
        writer = RecordWriter(parent, report)
        batch: list[ImportedRecord] = []
        batch_keys: set = set()

        def flush():
            if batch:
                written = len(report.written_ids)
                writer.write(batch)
                if on_written is not None and not dry_run:
                    on_written(report.written_ids[written:])
                if progress is not None:
                    progress(len(batch))
                batch.clear()
                batch_keys.clear()

        for entry in entries:
            checked = check(entry) if isinstance(entry, ImportedRecord) else entry
            if isinstance(checked, Rejection):
                report.rejections.append(checked)
                if on_rejection is not None:
                    on_rejection(checked)
                if progress is not None:
                    progress(1)
                continue
            keys = set(_match_keys(checked))
            # A record repeated in the file updates the one written before it.
            if keys & batch_keys or len(batch) >= batch_size:
                flush()
            batch.append(checked)
            batch_keys.update(keys)
        flush()
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        report.written_ids = []
    return report


@dataclass
class ChunkWork:
    """What indexing and preparing one chunk did: how many records, and the CPU seconds its
    process spent reading them, indexing them and preparing their details."""

    records: int = 0
    load_cpu: float = 0.0
    index_cpu: float = 0.0
    prepare_cpu: float = 0.0

    def add(self, other: "ChunkWork") -> None:
        self.records += other.records
        self.load_cpu += other.load_cpu
        self.index_cpu += other.index_cpu
        self.prepare_cpu += other.prepare_cpu


def index_and_prepare_chunk(ids: list[int]) -> ChunkWork:
    """Index these records and prepare their API details from one reading of them (the two
    stages read the same rows; reading them once is a fifth less work)."""
    ids = sorted({int(pk) for pk in ids})
    clock = time.process_time()
    # Taken before reading, so a preparation that began later is never overwritten.
    began = timezone.now()
    records = load_records(ids)
    loaded = time.process_time()
    builder = DocumentBuilder()
    store_documents(ids, [builder.build(record) for record in records if indexable(record)])
    indexed = time.process_time()
    live = [record for record in records if record.live]
    live_ids = {record.pk for record in live}
    forget_prepared_details([pk for pk in ids if pk not in live_ids])
    prepare_loaded_records(live, began)
    return ChunkWork(len(ids), loaded - clock, indexed - loaded, time.process_time() - indexed)


class IndexAndPrepare:
    """Indexes the records an import writes and prepares their API details, chunk by chunk.

    With more than one worker the chunks go to forked processes as soon as the import has
    committed them, so indexing and preparing run beside the import rather than after it
    (on two cores the three stages share both). With one, or on a database in this process's
    memory, they run here when the import is done. Use as a context manager: `add` the ids
    of each committed batch, then `finish`. Chunks are committed one by one, so an interrupted
    run leaves some records unindexed (built on request) and never half a record."""

    def __init__(self, workers: int = 1, chunk_size: int = PREPARE_CHUNK):
        self.chunk_size = chunk_size
        self.work = ChunkWork()
        self.pending: list[int] = []
        self.submitted: set[int] = set()
        # Records written again after their chunk went out: done here at the end, so an older
        # reading of a record can never be indexed after a newer one.
        self.again: set[int] = set()
        self.futures: list = []
        self.reported = 0
        self.pool = None
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        if workers > 1 and not in_memory:
            self.pool = fork_pool(workers)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.shutdown(wait=exc_info[0] is None, cancel_futures=True)
            self.pool = None

    def add(self, ids: Iterable[int]) -> None:
        """These records were just written (and committed)."""
        for pk in ids:
            if pk in self.submitted:
                self.again.add(pk)
            elif self.pool is not None:
                self.submitted.add(pk)
                self.pending.append(pk)
            else:
                self.pending.append(pk)
        while self.pool is not None and len(self.pending) >= self.chunk_size:
            self._submit(self.pending[: self.chunk_size])
            del self.pending[: self.chunk_size]

    def _submit(self, chunk: list[int]) -> None:
        self.futures.append(self.pool.submit(index_and_prepare_chunk, chunk))

    def finish(self, progress: Callable[[int], None] | None = None) -> ChunkWork:
        """Index and prepare every record added; `progress` hears of each chunk done."""
        if self.pool is not None:
            if self.pending:
                self._submit(self.pending)
            for future in self.futures:
                self._done(future.result(), progress)
        else:
            self.again.update(self.pending)
        self.pending, self.futures = [], []
        for chunk in chunked(sorted(self.again), self.chunk_size):
            self._done(index_and_prepare_chunk(chunk), progress)
        self.again = set()
        return self.work

    def _done(self, work: ChunkWork, progress) -> None:
        self.work.add(work)
        if progress is not None:
            progress(work.records)


def index_and_prepare(
    ids: list[int], workers: int = 1, progress: Callable[[int], None] | None = None
) -> ChunkWork:
    """Index these records and prepare their API details (in `workers` processes) after an
    import; `progress` hears of each record once both are done."""
    with IndexAndPrepare(workers) as pipeline:
        pipeline.add(sorted(set(ids)))
        return pipeline.finish(progress)
