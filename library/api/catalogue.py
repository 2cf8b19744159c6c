"""The library's routers of the partner API: catalogue search, records, new additions, subjects.

library/api/site.py mounts `catalogue_router` at /api/v3/catalogue/ and `subjects_router` at
/api/v3/subjects/; authentication, rate limits, errors and validators come from
`library.api.plumbing`, as for every router.
"""

import datetime
import json
import re
from typing import Annotated, Literal

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import StringConstraints, field_validator

from library.api.plumbing import (
    MAX_ID,
    Pagination,
    Validators,
    absolute,
    api_url,
    content_validators,
    documented,
    index_changed_at,
    index_version,
    latest,
    not_found,
    not_modified,
    page_url,
    record_api_url,
    stamped,
    validators,
)
from library.formats.citations import AVAILABLE_STYLES, DEFAULT_STYLE
from library.formats.exporters import EXPORT_FORMATS, export
from library.models import (
    Availability,
    Board,
    CatalogueRecord,
    Nation,
    RecordType,
    ReviewType,
    Subject,
)
from library.record_details import (
    CitationOut,
    RecordDetail,
    SubjectRef,
    build_record_detail,
    citation_for,
    load_record,
    prepared_record_detail,
    subject_ref,
)
from library.search import FACET_NAMES, SearchParams, search_catalogue
from library.search.params import MAX_QUERY_LENGTH, MAX_VALUES_PER_FILTER
from library.search.results import ResultRecord
from library.visibility import visible_record_stamp as record_stamp_for

DEFAULT_NEW_DAYS = 30
# Rendered citations and record details are cached this long; their keys change whenever the
# record is published or the search index changes, so a stale copy is never served.
CACHE_SECONDS = 24 * 3600

# --- Catalogue: schemas ------------------------------------------------------------------------

RecordTypeValue = Literal[tuple(RecordType.values)]  # ty: ignore[invalid-type-form]
NationValue = Literal[tuple(Nation.values)]  # ty: ignore[invalid-type-form]
ReviewTypeValue = Literal[tuple(ReviewType.values)]  # ty: ignore[invalid-type-form]
AvailabilityValue = Literal[tuple(Availability.values)]  # ty: ignore[invalid-type-form]
SubjectKey = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,140}$", strip_whitespace=True)
]
BoardId = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1, le=9999)]
StyleName = Literal[tuple(style.name for style in AVAILABLE_STYLES)]  # ty: ignore[invalid-type-form]
ExportName = Literal[tuple(EXPORT_FORMATS)]  # ty: ignore[invalid-type-form]


class SearchQuery(Pagination):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description='The catalogue\'s query language (words, "phrases", AND/OR/NOT, -word, '
        "field:word such as title: author: subject: year:2010..2015). Without it every record "
        "the caller may see is listed, newest first.",
    )
    type: list[RecordTypeValue] = Field(
        [], max_length=MAX_VALUES_PER_FILTER, description="Record types (repeatable)."
    )
    subject: list[SubjectKey] = Field(
        [],
        max_length=MAX_VALUES_PER_FILTER,
        description="Subjects by slug or id (repeatable); narrower terms are included.",
    )
    nation: list[NationValue] = Field(
        [], max_length=MAX_VALUES_PER_FILTER, description="Nations (repeatable)."
    )
    review_type: list[ReviewTypeValue] = Field(
        [], max_length=MAX_VALUES_PER_FILTER, description="Case review types (repeatable)."
    )
    board: list[BoardId] = Field(
        [], max_length=MAX_VALUES_PER_FILTER, description="Safeguarding boards by id (repeatable)."
    )
    availability: list[AvailabilityValue] = Field(
        [], max_length=MAX_VALUES_PER_FILTER, description="Availability (repeatable)."
    )
    year_from: Year | None = Field(None, description="Earliest year of publication.")
    year_to: Year | None = Field(None, description="Latest year of publication.")
    sort: Literal["relevance", "newest", "oldest", "title"] | None = Field(
        None, description="Order of results: relevance (the default with q) or newest (without)."
    )

    def to_params(self) -> SearchParams:
        """The validated parameters as the catalogue's one search function takes them."""
        params = SearchParams(
            q=self.q.replace("\x00", " ").strip(),
            year_from=self.year_from,
            year_to=self.year_to,
            sort=self.sort or ("relevance" if self.q.strip() else "newest"),
            offset=self.offset,
            limit=self.limit,
        )
        for name, values in (
            ("record_type", self.type),
            ("subject", self.subject),
            ("nation", self.nation),
            ("review_type", self.review_type),
            ("board", [str(board) for board in self.board]),
            ("availability", self.availability),
        ):
            if values:
                params.filters[name] = list(dict.fromkeys(values))
        if params.year_from and params.year_to and params.year_from > params.year_to:
            params.year_from, params.year_to = params.year_to, params.year_from
            params.messages.append(
                str(_("The years were the wrong way round, so they were swapped."))
            )
        return params


class RecordSummary(Schema):
    id: int
    title: str
    authors: list[str] = Field(..., description='Contributors as cited: "Munro, E. R.".')
    year: int | None
    record_type: str
    record_type_label: str
    date_added: datetime.date
    url: str = Field(..., description="The record's page on the site.")
    api_url: str = Field(..., description="The record in this API.")
    highlight: str = Field(
        "", description="HTML snippet with the query's words in <mark>; empty without q."
    )


class FacetValueOut(Schema):
    value: str = Field(..., description="What to pass back as a filter parameter.")
    label: str
    count: int
    selected: bool


class Facets(Schema):
    record_type: list[FacetValueOut] = []
    subject: list[FacetValueOut] = []
    year: list[FacetValueOut] = Field([], description="Decades: value 2010 means 2010 to 2019.")
    nation: list[FacetValueOut] = []
    review_type: list[FacetValueOut] = []
    board: list[FacetValueOut] = []
    availability: list[FacetValueOut] = []


class SearchOut(Schema):
    count: int
    items: list[RecordSummary]
    facets: Facets
    suggestion: str = Field(..., description='A corrected query ("did you mean"), or "".')
    understood_query: str = Field(..., description="How the query was read, in plain English.")
    messages: list[str] = Field(..., description="Notes on the query, e.g. years swapped.")
    offset: int
    limit: int


class RecordList(Schema):
    count: int
    items: list[RecordSummary]


class ExportQuery(Schema):
    format: ExportName = Field(..., description="ris, bibtex, csl-json, marcxml or dc.")


class CitationQuery(Schema):
    style: StyleName = Field(DEFAULT_STYLE, description="A citation style.")
    output: Literal["json", "html", "plain"] = Field(
        "json", description="json (both forms), html (a text/html fragment) or plain text."
    )


# --- Catalogue: building the answers ----------------------------------------------------------


def record_summary(
    request: HttpRequest, record: CatalogueRecord | ResultRecord, highlight: str = ""
) -> dict:
    """One record in a list: what a results page shows."""
    if not hasattr(request, "_api_type_labels"):
        request._api_type_labels = {value: str(label) for value, label in RecordType.choices}
    return {
        "id": record.pk,
        "title": record.title,
        "authors": record.author_names,
        "year": record.publication_year,
        "record_type": record.record_type,
        "record_type_label": request._api_type_labels.get(record.record_type, record.record_type),
        "date_added": record.date_added,
        "url": page_url(request, record),
        "api_url": record_api_url(request, record.pk),
        "highlight": highlight,
    }


def cached_citation(record_id: int, published, style: str) -> dict:
    """A record's citation in `style`: the default style's from its prepared detail, others
    rendered (up to ~50 ms in some styles) and cached until the record is republished."""
    if style == DEFAULT_STYLE:
        prepared = prepared_record_detail(record_id, published)
        if prepared is not None:
            return prepared["citation"]
    stamp = published.timestamp() if published else 0
    return cache.get_or_set(
        f"api:citation:{record_id}:{stamp}:{style}",
        lambda: citation_for(load_record(record_id), style),
        CACHE_SECONDS,
    )


def visible_record_stamp(request: HttpRequest, record_id: int) -> tuple[int, datetime.datetime]:
    """(id, last published) of a live record the caller may see; else a 404 problem.

    A restricted record gets the same 404 as a missing one, so its existence does not leak.
    """
    found = record_stamp_for(request, record_id)
    if found is None:
        raise not_found(_("catalogue record"))
    return found


def record_validators(
    request: HttpRequest, record_id: int, published: datetime.datetime | None
) -> Validators:
    """Validators for a record's answers: its publication, the index version (vocabulary and
    restriction changes), the day (documents go offline on their online-until date) and the
    caller's visibility. A record's answers are the same for everyone allowed to see it (the
    visibility check comes first), so they also carry Last-Modified."""
    version = index_version(request)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return validators(
        request,
        "record",
        record_id,
        published,
        version,
        midnight.date(),
        last_modified=latest(published, index_changed_at(version), midnight),
    )


def record_detail_json(request: HttpRequest, record_id: int, published) -> str:
    """The record's detail as JSON for this host: its prepared detail (the one copy, written by
    the index task), or, until the task has prepared it, one built for this request."""
    today = timezone.localdate()
    detail = prepared_record_detail(record_id, published, today)
    if detail is None:
        detail = build_record_detail(load_record(record_id), today)
    return json.dumps(with_origin(request, detail), ensure_ascii=False, separators=(",", ":"))


def with_origin(request: HttpRequest, detail: dict) -> dict:
    """A record detail's site-relative addresses made absolute for the host asked (changes
    and returns `detail`)."""
    detail["url"] = absolute(request, detail["url"])
    detail["api_url"] = absolute(request, detail["api_url"])
    for document in detail["documents"]:
        document["url"] = absolute(request, document["url"])
    for link in detail["exports"]:
        link["url"] = absolute(request, link["url"])
    return detail


def unknown_vocabulary(query: SearchQuery) -> list[str]:
    """A message for each subject or board filter that matches nothing in the vocabularies.

    They are not errors (a partner may hold a slug that a librarian has since changed): the
    filter matches no records and the answer's messages say why.
    """
    messages = []
    slugs = {value for value in query.subject if not value.isdigit()}
    ids = {int(value) for value in query.subject if value.isdigit()}
    if slugs or ids:
        known = set(Subject.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        known |= {str(pk) for pk in Subject.objects.filter(pk__in=ids).values_list("pk", flat=True)}
        messages += [
            _("There is no subject “%(value)s”; use a slug or id from /api/v3/subjects/.")
            % {"value": value}
            for value in query.subject
            if value not in known
        ]
    if query.board:
        known_boards = set(Board.objects.filter(pk__in=query.board).values_list("pk", flat=True))
        messages += [
            _("There is no board with id %(value)s; use a value from the board facet.")
            % {"value": value}
            for value in query.board
            if value not in known_boards
        ]
    return messages


# --- Catalogue: endpoints ----------------------------------------------------------------------

catalogue_router = Router(tags=["catalogue"])


@catalogue_router.get(
    "/search",
    response={200: SearchOut, 304: None},
    url_name="catalogue_search",
    operation_id="catalogue_search",
    summary="Search the catalogue",
    description="Records the caller may see, with exact facet counts over all matches, a "
    "spelling suggestion when few records match and the query as understood.",
    openapi_extra=documented(422, 503),
)
def search(request, response: HttpResponse, query: SearchQuery = Query(...)):  # noqa: B008
    """One page of results from the catalogue's one search function, with every facet.

    Validated by its content: the answer depends on the engine's index, which may follow a
    publish a moment later, so no version number stands for it."""
    answer = search_answer(request, query)
    found = content_validators(request, answer.model_dump_json())
    return not_modified(request, response, found) or answer


def search_answer(request: HttpRequest, query: SearchQuery) -> "SearchOut":
    """The search response from the catalogue's one search function, built without
    validating it again: ninja's validation of every answer cost more than the search, and
    each part is typed here and checked against the OpenAPI document by the contract tests."""
    results = search_catalogue(query.to_params(), request.user)
    return SearchOut.model_construct(
        count=results.count,
        items=[
            RecordSummary.model_construct(**record_summary(request, hit.record, hit.highlight))
            for hit in results.hits
        ],
        facets=Facets.model_construct(
            **{
                name: [
                    FacetValueOut.model_construct(
                        value=str(value.value),
                        label=str(value.label),
                        count=value.count,
                        selected=value.selected,
                    )
                    for value in results.facets.get(name, [])
                ]
                for name in FACET_NAMES
            }
        ),
        suggestion=results.suggestion,
        understood_query=str(results.understood),
        messages=[*unknown_vocabulary(query), *(str(message) for message in results.messages)],
        offset=results.offset,
        limit=results.limit,
    )


@catalogue_router.get(
    "/records/{record_id}",
    response={200: RecordDetail, 304: None},
    url_name="catalogue_record",
    operation_id="catalogue_record",
    summary="A catalogue record",
    description="Every bibliographic field, subjects, keywords, case review facts, documents, "
    "the citation in the default style and links to every export.",
    openapi_extra=documented(404, 422, last_modified=True),
)
def record(request, record_id: int = Path(..., ge=1, le=MAX_ID)):
    """One record the caller may see; a restricted or unpublished one is a 404.

    The body is the record's prepared detail (RecordDetail's shape, made when the record was
    indexed), so it is sent as stored rather than validated again on every request."""
    record_id, published = visible_record_stamp(request, record_id)
    found = record_validators(request, record_id, published)
    response = HttpResponse(content_type="application/json; charset=utf-8")
    if (unchanged := not_modified(request, response, found)) is not None:
        return unchanged
    response.content = record_detail_json(request, record_id, published)
    return response


def export_media_types() -> dict[str, str | dict]:
    """Each export's media type: CSL-JSON is a JSON array of CSL items, the others text."""
    media_types: dict[str, str | dict] = {}
    for export_format in EXPORT_FORMATS.values():
        label = str(export_format.label)
        if export_format.media_type.endswith("+json"):
            media_types[export_format.media_type] = {
                "type": "array",
                "items": {"type": "object"},
                "description": label,
            }
        else:
            media_types[export_format.media_type] = label
    return media_types


@catalogue_router.get(
    "/records/{record_id}/export",
    response={200: None, 304: None},
    url_name="catalogue_record_export",
    operation_id="catalogue_record_export",
    summary="A record in a bibliographic format",
    openapi_extra=documented(404, 422, media_types=export_media_types(), last_modified=True),
)
def record_export(
    request,
    record_id: int = Path(..., ge=1, le=MAX_ID),
    query: ExportQuery = Query(...),  # noqa: B008
):
    """The record written by the catalogue's exporters, with the format's media type."""
    record_id, published = visible_record_stamp(request, record_id)
    found = record_validators(request, record_id, published)
    response = HttpResponse()
    if (unchanged := not_modified(request, response, found)) is not None:
        return unchanged
    exported = export([load_record(record_id)], query.format)
    response.content = exported.content
    response["Content-Type"] = exported.content_type
    response["Content-Disposition"] = (
        f'inline; filename="{exported.filename(f"record-{record_id}")}"'
    )
    return response


@catalogue_router.get(
    "/records/{record_id}/citation",
    response={200: CitationOut, 304: None},
    url_name="catalogue_record_citation",
    operation_id="catalogue_record_citation",
    summary="A record's citation in a chosen style",
    openapi_extra=documented(
        404,
        422,
        media_types={"text/html": "output=html", "text/plain": "output=plain"},
        last_modified=True,
    ),
)
def record_citation(
    request,
    response: HttpResponse,
    record_id: int = Path(..., ge=1, le=MAX_ID),
    query: CitationQuery = Query(...),  # noqa: B008
):
    """The citation as JSON (HTML and plain text), or as a bare text/html or text/plain body."""
    record_id, published = visible_record_stamp(request, record_id)
    found = record_validators(request, record_id, published)
    if (unchanged := not_modified(request, response, found)) is not None:
        return unchanged
    citation = cached_citation(record_id, published, query.style)
    if query.output == "json":
        return citation
    body, media_type = (
        (citation["html"], "text/html")
        if query.output == "html"
        else (citation["text"], "text/plain")
    )
    return stamped(request, HttpResponse(body, content_type=f"{media_type}; charset=utf-8"), found)


class NewQuery(Pagination):
    since: datetime.date | None = Field(
        None,
        description=f"YYYY-MM-DD: records added on or after this date "
        f"(default: the last {DEFAULT_NEW_DAYS} days).",
    )

    @field_validator("since", mode="before")
    @classmethod
    def iso_date_only(cls, value):
        """Only YYYY-MM-DD, as documented (pydantic would also read numbers as timestamps)."""
        if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise ValueError("Enter the date as YYYY-MM-DD, for example 2024-01-31.")
        return value


@catalogue_router.get(
    "/new",
    response={200: RecordList, 304: None},
    url_name="catalogue_new",
    operation_id="catalogue_new",
    summary="New additions to the catalogue",
    description="Records added on or after `since`, newest first (then by id, so pages are "
    "stable).",
    openapi_extra=documented(422),
)
def new_records(request, response: HttpResponse, query: NewQuery = Query(...)):  # noqa: B008
    """Records added since a date that the caller may see, newest first."""
    since = query.since or timezone.localdate() - datetime.timedelta(days=DEFAULT_NEW_DAYS)
    records = CatalogueRecord.objects.visible_to(request.user).added_since(since)
    page = list(
        records.values_list("pk", "last_published_at")[query.offset : query.offset + query.limit]
    )
    count = records.count()
    # The list differs by caller, so it is validated by its ETag alone (see validators()).
    found = validators(request, "new", since, count, page, index_version(request))
    if (unchanged := not_modified(request, response, found)) is not None:
        return unchanged
    records_by_id = CatalogueRecord.objects.prefetch_related("contributors").in_bulk(
        [pk for pk, _ in page]
    )
    return {
        "count": count,
        "items": [
            record_summary(request, records_by_id[pk]) for pk, _ in page if pk in records_by_id
        ],
    }


# --- Subjects ---------------------------------------------------------------------------------


class SubjectOut(Schema):
    id: int
    name: str
    slug: str
    scope_note: str
    use_for: list[str] = Field(..., description="Non-preferred terms that mean this subject.")
    broader: SubjectRef | None
    narrower: list[SubjectRef]
    related: list[SubjectRef]
    search_url: str = Field(..., description="catalogue/search filtered by this subject.")


class SubjectList(Schema):
    count: int
    items: list[SubjectOut]


subjects_router = Router(tags=["subjects"])


@subjects_router.get(
    "/",
    response={200: SubjectList, 304: None},
    url_name="subjects_list",
    operation_id="subjects_list",
    summary="The subject thesaurus",
    description="Preferred terms in alphabetical order with their use-for terms and their "
    "broader, narrower and related terms.",
    openapi_extra=documented(422),
)
def subjects(request, response: HttpResponse, page: Pagination = Query(...)):  # noqa: B008
    """A page of thesaurus terms; validated by their content (terms carry no dates)."""
    terms = Subject.objects.order_by("name", "pk")
    chosen = terms.select_related("broader").prefetch_related("narrower", "related")[
        page.offset : page.offset + page.limit
    ]
    search_url = api_url(request, "catalogue_search")
    data = {
        "count": terms.count(),
        "items": [
            {
                **subject_ref(subject),
                "scope_note": subject.scope_note,
                "use_for": subject.use_for_terms(),
                "broader": subject_ref(subject.broader) if subject.broader else None,
                "narrower": [subject_ref(term) for term in sorted(subject.narrower.all(), key=str)],
                "related": [subject_ref(term) for term in sorted(subject.related.all(), key=str)],
                "search_url": f"{search_url}?subject={subject.slug}",
            }
            for subject in chosen
        ],
    }
    body = json.dumps(data, sort_keys=True, default=str)
    unchanged = not_modified(request, response, content_validators(request, body))
    return unchanged or data
