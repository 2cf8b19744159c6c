"""A catalogue record's detail as the partner API answers it, and details prepared ahead.

Building a detail takes ~15 ms on a small machine: the page with six related lists, and the
default citation rendered by citeproc-py. So the index update task, which runs whenever a
record's answer could change (publishing, editing, moving, renaming a subject, board or
agency), prepares the detail too, and `python manage.py prepare_record_details` prepares every
missing or outdated one in bulk. A prepared detail is one row to read; a record without a
current one is built on request. Prepared details keep site-relative addresses, made absolute
for the host asked (`library.api.catalogue.with_origin`).
"""

import copy
import datetime
import html
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from django.db import connection, connections, models, transaction
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from ninja import Field, Schema
from pydantic_core import to_jsonable_python
from wagtail.rich_text import expand_db_html

from library.formats.citations import DEFAULT_STYLE, get_style, render_citation, render_citations
from library.formats.csl import record_to_csl
from library.formats.exporters import EXPORT_FORMATS
from library.models import (
    AgeBand,
    Availability,
    CaseReview,
    CatalogueRecord,
    DocumentKind,
    Gender,
    Nation,
    PreparedRecordDetail,
    Recommendation,
    RecordContributor,
    RecordDocument,
    RecordKeyword,
    RecordType,
    ReviewType,
    Subject,
)
from library.search.results import site_path, site_roots

API_NAMESPACE = "wagtailapi_v3"
PREPARE_CHUNK = 500


class SubjectRef(Schema):
    id: int
    name: str
    slug: str


def subject_ref(subject: Subject) -> dict:
    return {"id": subject.pk, "name": subject.name, "slug": subject.slug}


def rich_text(value) -> str:
    """Stored rich text as HTML with internal links and documents expanded."""
    return expand_db_html(value) if value else ""


class Contributor(Schema):
    name: str
    family_name: str
    given_names: str
    is_organisation: bool
    role: str


class AttachedDocument(Schema):
    title: str
    kind: str
    kind_label: str
    url: str
    file_type: str
    size: int | None = Field(..., description="Bytes, or null when unknown.")


class BoardOut(Schema):
    id: int
    name: str
    nation: str
    former_names: list[str]


class RecommendationOut(Schema):
    text: str
    agency: str | None


class CaseReviewFields(Schema):
    review_type: str
    review_type_label: str
    board: BoardOut | None
    incident_year: int | None
    child_age_band: str
    child_age_band_label: str
    child_gender: str
    child_gender_label: str
    themes: list[SubjectRef]
    agencies: list[str]
    recommendations: list[RecommendationOut]


class CitationOut(Schema):
    style: str
    style_label: str
    html: str
    text: str


class ExportLink(Schema):
    format: str
    label: str
    media_type: str
    url: str


class RecordDetail(Schema):
    id: int
    title: str
    subtitle: str
    record_type: str
    record_type_label: str
    authors: list[str]
    contributors: list[Contributor]
    publisher: str
    place_of_publication: str
    year: int | None
    publication_date: datetime.date | None
    edition: str
    series: str
    extent: str
    journal_title: str
    volume: str
    issue: str
    page_range: str
    isbn: str
    issn: str
    doi: str
    web_address: str = Field(..., description="The publication's own address, if any.")
    language: str
    nation: str
    nation_label: str
    abstract: str = Field(..., description="HTML.")
    notes: str
    availability: str
    availability_label: str
    subjects: list[SubjectRef]
    keywords: list[str]
    documents_online: bool
    documents: list[AttachedDocument]
    case_review: CaseReviewFields | None
    date_added: datetime.date
    last_published_at: datetime.datetime | None
    url: str
    api_url: str
    citation: CitationOut
    exports: list[ExportLink]


# --- Building --------------------------------------------------------------------------------


def _attach_children(records: list, name: str, key: str, queryset: models.QuerySet) -> None:
    """Each record's children by a parental key (`key`, related name `name`), read in one query
    and kept where `record.<name>.all()` finds prefetched objects.

    `prefetch_related` does the same but builds a filtered QuerySet for every record to hold
    the children, which cost more than the query itself. Here each record holds a copy of one
    empty QuerySet with its children as the results: reading them is the same, and a further
    `.filter()` on them finds nothing rather than other records' children."""
    if not records:
        return
    by_record: dict[int, list] = {record.pk: [] for record in records}
    for child in queryset.filter(**{f"{key}__in": list(by_record)}):
        by_record[getattr(child, key)].append(child)
    empty = queryset.none()
    for record in records:
        held = copy.copy(empty)
        held._result_cache = by_record[record.pk]
        held._prefetch_done = True
        if not hasattr(record, "_prefetched_objects_cache"):
            record._prefetched_objects_cache = {}
        record._prefetched_objects_cache[name] = held


def load_records(ids) -> list[CatalogueRecord]:
    """These records as their specific type with everything their detail reads, in a dozen
    queries however many there are (case reviews are the only subclass). Visibility is the
    caller's to check."""
    ids = [int(pk) for pk in ids]
    reviews = list(
        CaseReview.objects.filter(pk__in=ids)
        .select_related("board")
        .prefetch_related("subjects", "themes", "agencies")
    )
    others = list(
        CatalogueRecord.objects.filter(pk__in=ids)
        .exclude(pk__in=[review.pk for review in reviews])
        .prefetch_related("subjects")
    )
    records = [*reviews, *others]
    _attach_children(records, "contributors", "record_id", RecordContributor.objects.all())
    # The keywords are read through their tags (`library.formats.csl.keyword_names`).
    _attach_children(
        records, "tagged_keywords", "content_object_id", RecordKeyword.objects.select_related("tag")
    )
    _attach_children(
        records,
        "attached_documents",
        "record_id",
        RecordDocument.objects.select_related("document"),
    )
    _attach_children(
        reviews, "recommendations", "review_id", Recommendation.objects.select_related("agency")
    )
    return records


def load_record(record_id: int) -> CatalogueRecord:
    """One record as `load_records` reads it; DoesNotExist when there is none."""
    found = load_records([record_id])
    if not found:
        raise CatalogueRecord.DoesNotExist(f"No catalogue record {record_id}.")
    return found[0]


def citation_for(record: CatalogueRecord, style: str = DEFAULT_STYLE) -> dict:
    """The record's reference in `style` as HTML and as plain text (one render, not two)."""
    return _citation(str(render_citation(record_to_csl(record), style, "html")), style)


def citations_for(records: list[CatalogueRecord], style: str = DEFAULT_STYLE) -> list[dict]:
    """`citation_for` each record, rendered together (the same answers, less work each)."""
    rendered = render_citations([record_to_csl(record) for record in records], style, "html")
    return [_citation(str(entry), style) for entry in rendered]


def _citation(rendered: str, style: str) -> dict:
    return {
        "style": style,
        "style_label": _translated(style, lambda: get_style(style).label),
        "html": rendered,
        "text": html.unescape(strip_tags(rendered)),
    }


_choice_labels: dict[tuple[type, str], dict[str, str]] = {}
_translations: dict[tuple[str, str], object] = {}


def _translated(key, make):
    """`str()` of the lazy labels `make()` returns, remembered per key and language (each label
    translated again per record was a twentieth of preparing a detail)."""
    language_key = (key, get_language() or "")
    found = _translations.get(language_key)
    if found is None:
        made = make()
        found = _translations[language_key] = (
            [tuple(str(part) for part in entry) for entry in made]
            if isinstance(made, list)
            else str(made)
        )
    return found


def choice_label(choices: type[models.Choices], value: str) -> str:
    """The label of a coded value in the active language, read from a table built once per
    language (a model's get_FOO_display hashes every lazy label of the field on each call)."""
    key = (choices, get_language() or "")
    labels = _choice_labels.get(key)
    if labels is None:
        labels = _choice_labels[key] = {code: str(label) for code, label in choices.choices}
    return labels.get(value, value)


def api_path(name: str, **kwargs) -> str:
    """The path of one of the partner API's endpoints."""
    return reverse(f"{API_NAMESPACE}:{name}", kwargs=kwargs)


# A record id no catalogue reaches, reversed once per endpoint and replaced by the real one.
_ID_STAND_IN = 987654321987654321
_record_path_templates: dict[tuple[str, str], str] = {}


def record_api_path(name: str, record_id: int) -> str:
    """`api_path(name, record_id=record_id)` without resolving the URL patterns per record
    (reversing took a twentieth of preparing a detail)."""
    key = (name, get_script_prefix())
    template = _record_path_templates.get(key)
    if template is None:
        template = _record_path_templates[key] = api_path(name, record_id=_ID_STAND_IN)
    return template.replace(str(_ID_STAND_IN), str(int(record_id)))


def case_review_fields(review: CaseReview) -> dict:
    board = review.board
    return {
        "review_type": review.review_type,
        "review_type_label": choice_label(ReviewType, review.review_type),
        "board": (
            {
                "id": board.pk,
                "name": board.name,
                "nation": board.nation,
                "former_names": board.former_name_list(),
            }
            if board
            else None
        ),
        "incident_year": review.incident_year,
        "child_age_band": review.child_age_band,
        "child_age_band_label": choice_label(AgeBand, review.child_age_band),
        "child_gender": review.child_gender,
        "child_gender_label": choice_label(Gender, review.child_gender),
        "themes": [subject_ref(theme) for theme in review.themes.all()],
        "agencies": [agency.name for agency in review.agencies.all()],
        "recommendations": [
            {"text": item.text, "agency": item.agency.name if item.agency else None}
            for item in review.recommendations.all()
        ],
    }


def build_record_detail(
    record: CatalogueRecord,
    today: datetime.date | None = None,
    roots=None,
    checked=True,
    citation: dict | None = None,
) -> dict:
    """The record's detail with site-relative addresses, checked against `RecordDetail`.

    `roots` (from `site_roots()`) saves reading the sites again for each of many records.
    Preparing in bulk passes `checked=False`: the same data made JSON-ready by pydantic's own
    serialiser without validating it again (a third of the work after the citation);
    tests/api/test_prepared_details.py checks the two give the same answer. `citation` is the
    record's `citation_for`, when it was rendered with others' (`citations_for`)."""
    online = record.documents_online(today)
    documents = [
        {
            "title": attached.display_label(),
            "kind": attached.kind,
            "kind_label": choice_label(DocumentKind, attached.kind),
            "url": attached.document.url,
            "file_type": attached.file_type(),
            "size": attached.file_size(),
        }
        for attached in (record.attached_documents.all() if online else [])
    ]
    export_path = record_api_path("catalogue_record_export", record.pk)
    data = {
        "id": record.pk,
        "title": record.title,
        "subtitle": record.subtitle,
        "record_type": record.record_type,
        "record_type_label": choice_label(RecordType, record.record_type),
        "authors": record.author_names,
        "contributors": [
            {
                "name": str(contributor),
                "family_name": contributor.family_name,
                "given_names": contributor.given_names,
                "is_organisation": contributor.is_organisation,
                "role": contributor.role,
            }
            for contributor in record.contributor_list
        ],
        "publisher": record.publisher,
        "place_of_publication": record.place_of_publication,
        "year": record.publication_year,
        "publication_date": record.publication_date,
        "edition": record.edition,
        "series": record.series,
        "extent": record.extent,
        "journal_title": record.journal_title,
        "volume": record.volume,
        "issue": record.issue,
        "page_range": record.page_range,
        "isbn": record.isbn,
        "issn": record.issn,
        "doi": record.doi,
        "web_address": record.web_address,
        "language": record.language,
        "nation": record.nation,
        "nation_label": choice_label(Nation, record.nation) if record.nation else "",
        "abstract": rich_text(record.abstract),
        "notes": record.notes,
        "availability": record.availability,
        "availability_label": choice_label(Availability, record.availability),
        "subjects": [subject_ref(subject) for subject in record.subjects.all()],
        "keywords": sorted(tagged.tag.name for tagged in record.tagged_keywords.all()),
        "documents_online": online,
        "documents": documents,
        "case_review": case_review_fields(record) if isinstance(record, CaseReview) else None,
        "date_added": record.date_added,
        "last_published_at": record.last_published_at,
        "url": site_path(record.url_path, roots or site_roots()),
        "api_url": record_api_path("catalogue_record", record.pk),
        "citation": citation or citation_for(record),
        "exports": [
            {
                "format": name,
                "label": label,
                "media_type": media_type,
                "url": f"{export_path}?format={name}",
            }
            for name, label, media_type in _translated(
                "exports",
                lambda: [
                    (name, export_format.label, export_format.media_type)
                    for name, export_format in EXPORT_FORMATS.items()
                ],
            )
        ],
    }
    if not checked:
        return to_jsonable_python(data)
    return json.loads(RecordDetail.model_validate(data).model_dump_json())


# --- Prepared details ------------------------------------------------------------------------


def prepared_record_detail(
    record_id: int, published: datetime.datetime | None, today: datetime.date | None = None
) -> dict | None:
    """The prepared detail of a record last published at `published`, if it is still current."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT published_at, online_until, documents_online, detail "  # noqa: S608 - the table name only
            f"FROM {PreparedRecordDetail._meta.db_table} WHERE record_id = %s",
            [record_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    prepared_published, online_until, documents_online, detail = row
    if prepared_published is not None and timezone.is_naive(prepared_published):
        # SQLite hands back the stored UTC time without its zone.
        prepared_published = timezone.make_aware(prepared_published, datetime.UTC)
    online_now = online_until is None or (today or timezone.localdate()) <= online_until
    if prepared_published != published or bool(documents_online) != online_now:
        return None
    return json.loads(detail)


def forget_prepared_details(ids) -> None:
    """Drop these records' prepared details (their answers are built on request meanwhile)."""
    PreparedRecordDetail.objects.filter(record_id__in=[int(pk) for pk in ids]).delete()


def prepare_record_details(ids) -> int:
    """Prepare the details of these records (live ones; others lose theirs). Returns how many
    were prepared. A preparation that began earlier never overwrites one that began later, so
    two workers handling the same record leave the newer detail."""
    ids = sorted({int(pk) for pk in ids})
    if not ids:
        return 0
    live = set(CatalogueRecord.objects.live().filter(pk__in=ids).values_list("pk", flat=True))
    forget_prepared_details([pk for pk in ids if pk not in live])
    prepared = 0
    live_ids = sorted(live)
    for start in range(0, len(live_ids), PREPARE_CHUNK):
        began = timezone.now()
        records = load_records(live_ids[start : start + PREPARE_CHUNK])
        prepared += prepare_loaded_records(records, began)
    return prepared


def prepare_loaded_records(records: list[CatalogueRecord], began: datetime.datetime) -> int:
    """Prepare the details of these live records, read by `load_records` after `began`."""
    today = timezone.localdate()
    roots = site_roots()
    citations = citations_for(records)
    rows = [
        _prepared_row(record, today, began, roots, citation)
        for record, citation in zip(records, citations, strict=True)
    ]
    _store(rows)
    return len(rows)


def _prepare_in_child(ids: list[int]) -> int:
    return prepare_record_details(ids)


def _forget_inherited_connections() -> None:
    # A forked child must not share its parent's database connection; it opens its own.
    for conn in connections.all(initialized_only=True):
        conn.inc_thread_sharing()
        conn.close()
        conn.dec_thread_sharing()


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` forked processes for CPU-bound record work, each with its own database
    connection, started now: a fork pool starts all its processes at its first task, and they
    must fork while no connection is open."""
    connections.close_all()
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_forget_inherited_connections,
    )
    pool.submit(int).result()
    return pool


def prepare_record_details_in_parallel(ids, workers: int = 1, progress=None) -> int:
    """Prepare these records' details in `workers` processes (one: in this one), chunk by chunk.

    Building a detail is CPU work (the citation above all), so on a machine with several cores
    a bulk preparation goes faster in forked processes, each with its own connection. A
    database that lives in this process's memory (SQLite's test database) is prepared here."""
    ids = sorted({int(pk) for pk in ids})
    chunks = [ids[start : start + PREPARE_CHUNK] for start in range(0, len(ids), PREPARE_CHUNK)]
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    prepared = 0
    if workers <= 1 or len(chunks) <= 1 or in_memory:
        for chunk in chunks:
            count = prepare_record_details(chunk)
            prepared += count
            if progress is not None:
                progress(count)
        return prepared
    with fork_pool(workers) as pool:
        for count in pool.map(_prepare_in_child, chunks):
            prepared += count
            if progress is not None:
                progress(count)
    return prepared


def outdated_record_ids() -> list[int]:
    """Live records without a current prepared detail, in id order."""
    today = timezone.localdate()
    prepared = {
        pk: (published, bool(online))
        for pk, published, online in PreparedRecordDetail.objects.values_list(
            "record_id", "published_at", "documents_online"
        )
    }
    return [
        pk
        for pk, published, online_until in CatalogueRecord.objects.live()
        .order_by("pk")
        .values_list("pk", "last_published_at", "online_until")
        if prepared.get(pk) != (published, online_until is None or today <= online_until)
    ]


def _prepared_row(record: CatalogueRecord, today, began, roots, citation=None) -> tuple:
    detail = build_record_detail(record, today, roots, checked=False, citation=citation)
    ops = connection.ops
    return (
        record.pk,
        ops.adapt_datetimefield_value(record.last_published_at),
        ops.adapt_datefield_value(record.online_until),
        detail["documents_online"],
        json.dumps(detail, separators=(",", ":")),
        ops.adapt_datetimefield_value(began),
    )


def _store(rows: list[tuple]) -> None:
    table = PreparedRecordDetail._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} "  # noqa: S608 - the table name only
            "(record_id, published_at, online_until, documents_online, detail, prepared_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (record_id) DO UPDATE SET "
            "published_at = excluded.published_at, online_until = excluded.online_until, "
            "documents_online = excluded.documents_online, detail = excluded.detail, "
            f"prepared_at = excluded.prepared_at WHERE excluded.prepared_at >= {table}.prepared_at",
            rows,
        )
