"""The library's part of the partner API: catalogue search, records, new additions, subjects.

config/api.py mounts `catalogue_router` at /api/v3/catalogue/ and `subjects_router` at
/api/v3/subjects/ on Wagtail's v3 API. This module also holds what every read endpoint of the
partner API shares (the reading lists router uses it too):

- `READ_AUTH`: an optional bearer token. No token means anonymous (public records only); a
  token that is wrong, revoked or belongs to an inactive user is refused with 401 rather than
  quietly treated as anonymous, so a partner notices at once that its token stopped working.
- Rate limits per token and per client IP through the cache (429 with Retry-After).
- `Freshness`: ETag and Last-Modified, and 304 Not Modified, derived from what the answer
  depends on, including which restricted records the caller may see.
- `APIProblem`: errors as application/problem+json in the shape of Wagtail's v3 errors, with
  `documented()` describing them accurately in the OpenAPI document.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import StringConstraints, field_validator
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.errors import ProblemDetail, problem_response

from home.ratelimit import client_ip, hit
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
    API_NAMESPACE,
    CitationOut,
    RecordDetail,
    SubjectRef,
    build_record_detail,
    citation_for,
    load_record,
    prepared_record_detail,
    subject_ref,
)
from library.search import FACET_NAMES, parse_search_params, search_catalogue
from library.search.models import SearchIndexState
from library.search.params import MAX_LIMIT, MAX_OFFSET, MAX_QUERY_LENGTH
from library.search.results import ResultRecord, site_path, site_roots
from library.visibility import audience_of_request
from library.visibility import visible_record_stamp as record_stamp_for

MAX_ID = 2_147_483_647  # the largest page id any database here stores
DEFAULT_NEW_DAYS = 30
# Rendered citations and record details are cached this long; their keys change whenever the
# record is published or the search index changes, so a stale copy is never served.
CACHE_SECONDS = 24 * 3600
# Search answers are cached by their ETag (index version, query, caller's visibility).
SEARCH_CACHE_SECONDS = 300

# --- Errors ---------------------------------------------------------------------------------


class APIProblem(Exception):
    """An error answered as application/problem+json (see `problem_from_exception`)."""

    def __init__(self, status: int, detail: str, *, errors=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_from_exception(request: HttpRequest, exc: APIProblem) -> HttpResponse:
    """The problem+json response for an `APIProblem`; config/api.py registers it."""
    response = problem_response(status=exc.status, detail=exc.detail, errors=exc.errors)
    for header, value in exc.headers.items():
        response[header] = value
    return response


def not_found(what: str) -> APIProblem:
    """A 404 that reads the same for a missing record and one the caller may not see."""
    return APIProblem(
        404,
        _("There is no %(what)s with this id, or your token does not give access to it.")
        % {"what": what},
    )


PROBLEM_SCHEMA = ProblemDetail.model_json_schema()
ERROR_DESCRIPTIONS = {
    401: "The bearer token is wrong, revoked or belongs to an inactive account "
    "(send no Authorization header to read public records).",
    404: "Nothing with this id exists, or the caller may not see it (the same answer for both).",
    422: "A parameter is not valid; `errors` lists each one with its location and a message.",
    429: "Too many requests from this token or address; wait for the seconds in Retry-After.",
}
VALIDATOR_HEADERS = {
    "ETag": {
        "description": "Changes whenever the answer would; send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "No earlier than the last change; send it back in If-Modified-Since.",
        "schema": {"type": "string"},
    },
}


def documented(*statuses: int, media_types: dict[str, str] | None = None) -> dict:
    """`openapi_extra` describing an endpoint's problem+json errors and validator headers.

    `media_types` ({media type: description}) adds 200 bodies that are not the JSON schema.
    Security lists the partner token and, as an empty requirement, anonymous access.
    """
    responses: dict[int, dict] = {
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
        }
        for status in (401, 429, *statuses)
    }
    ok: dict[str, Any] = {"headers": VALIDATOR_HEADERS}
    if media_types:
        ok["content"] = {
            media_type: {"schema": {"type": "string", "description": description}}
            for media_type, description in media_types.items()
        }
    responses[200] = ok
    return {"responses": responses, "security": [{}]}


# --- Authentication and rate limits -----------------------------------------------------------


def enforce_rate_limit(key: str, rate: tuple[int, int]) -> None:
    """Count a request against `key`; raise a 429 problem once the window's limit is used."""
    limit, window = rate
    result = hit(f"api-read:{key}", limit, window)
    if not result.allowed:
        raise APIProblem(
            429,
            _(
                "Too many requests: the limit is %(limit)s every %(window)s seconds. "
                "Try again in %(retry)s seconds."
            )
            % {"limit": limit, "window": window, "retry": result.retry_after},
            headers={"Retry-After": str(result.retry_after)},
        )


class PartnerToken(BearerTokenAuth):
    """`Authorization: Bearer <token>` from `create_partner_token`; a bad token is a 401."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            return None  # no token: the anonymous reader below takes over
        api_token = super().__call__(request)
        if api_token is None:
            raise APIProblem(
                401,
                _(
                    "This API token is not valid or has been revoked. Ask the library for a "
                    "new token, or send no Authorization header to read public records only."
                ),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        enforce_rate_limit(f"token:{api_token.pk}", settings.API_RATE_LIMIT_TOKEN)
        return api_token


class AnonymousReader(AllowAnonymous):
    """A request without a token: public records only, rate limited per client IP."""

    def __init__(self):
        super().__init__()
        # Anonymous access is documented as an empty security requirement (see documented()),
        # not as a security scheme of its own.
        del self.openapi_security_schema

    def __call__(self, request):
        user = super().__call__(request)
        enforce_rate_limit(f"ip:{client_ip(request)}", settings.API_RATE_LIMIT_ANONYMOUS)
        return user


READ_AUTH = [PartnerToken(), AnonymousReader()]


# --- Conditional requests ----------------------------------------------------------------------


def caller_visibility(request: HttpRequest) -> str:
    """Which view restrictions the caller passes, as a short key ("public" for none)."""
    return audience_of_request(request).key


def index_version(request: HttpRequest | None = None) -> int:
    """The search index version: it changes whenever a record is indexed or removed.

    Read once per request when `request` is given.
    """
    if request is None:
        return SearchIndexState.current()
    if not hasattr(request, "_api_index_version"):
        request._api_index_version = SearchIndexState.current()
    return request._api_index_version


def index_changed_at(version: int) -> datetime.datetime:
    """When this process (or the shared cache) first saw `version`: no earlier than the change."""
    stamp = cache.get_or_set(f"api:index-seen:{version}", lambda: timezone.now().timestamp(), None)
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


@dataclass
class Freshness:
    """An answer's validators: a strong ETag and, when known, Last-Modified."""

    etag: str
    last_modified: datetime.datetime | None = None

    def not_modified(self, request: HttpRequest) -> HttpResponse | None:
        """A 304 when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
            fresh = "*" in tags or self.etag in tags
        else:
            since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
            fresh = bool(
                since is not None
                and self.last_modified is not None
                and int(self.last_modified.timestamp()) <= since
            )
        if not fresh:
            return None
        response = HttpResponseNotModified()
        self.stamp(request, response)
        return response

    def stamp(self, request: HttpRequest, response: HttpResponse) -> None:
        """Put the validators and caching rules on a response."""
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        # Answers differ by token, so shared caches must keep them apart and revalidate.
        token = request.headers.get("Authorization")
        response["Cache-Control"] = "private, no-cache" if token else "no-cache"
        patch_vary_headers(response, ["Authorization"])


def freshness(request: HttpRequest, *parts, last_modified=None) -> Freshness:
    """Validators from what an answer depends on, plus the address asked for (query included),
    the host (answers hold absolute URLs) and the caller's visibility, so that one caller's copy
    never validates for another who may see less."""
    key = "|".join(
        [*map(str, parts), caller_visibility(request), request.get_host(), request.get_full_path()]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return Freshness(etag=f'"{digest}"', last_modified=last_modified)


def body_freshness(request: HttpRequest, data) -> Freshness:
    """Validators from the answer itself, for data without a version of its own."""
    body = json.dumps(data, sort_keys=True, default=str)
    return freshness(request, hashlib.sha256(body.encode()).hexdigest())


def latest(*moments) -> datetime.datetime | None:
    """The latest of these moments that are known."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


# --- Shared output -----------------------------------------------------------------------------


def absolute(request: HttpRequest, path: str | None) -> str:
    """`path` as an absolute URL on the host the API was called on ("" when there is none)."""
    if not path:
        return ""
    if path.startswith("/") and not path.startswith("//"):
        if not hasattr(request, "_api_origin"):
            request._api_origin = request.build_absolute_uri("/")[:-1]
        return request._api_origin + path
    return request.build_absolute_uri(path)


def api_url(request: HttpRequest, name: str, **kwargs) -> str:
    """The absolute URL of one of this API's endpoints."""
    return absolute(request, reverse(f"{API_NAMESPACE}:{name}", kwargs=kwargs))


def record_api_url(request: HttpRequest, record_id: int) -> str:
    """The absolute URL of a record in this API (reversed once per request: lists hold many)."""
    if not hasattr(request, "_api_record_prefix"):
        request._api_record_prefix = api_url(request, "catalogue_record", record_id=1)[:-1]
    return f"{request._api_record_prefix}{record_id}"


def page_url(request: HttpRequest, page) -> str:
    """A page's absolute URL on this host, as Wagtail routes it ("" outside any site)."""
    if not hasattr(request, "_api_site_roots"):
        request._api_site_roots = site_roots()
    return absolute(request, site_path(page.url_path, request._api_site_roots))


class Pagination(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


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
    type: list[RecordTypeValue] = Field([], description="Record types (repeatable).")
    subject: list[SubjectKey] = Field(
        [], description="Subjects by slug or id (repeatable); narrower terms are included."
    )
    nation: list[NationValue] = Field([], description="Nations (repeatable).")
    review_type: list[ReviewTypeValue] = Field([], description="Case review types (repeatable).")
    board: list[BoardId] = Field([], description="Safeguarding boards by id (repeatable).")
    availability: list[AvailabilityValue] = Field([], description="Availability (repeatable).")
    year_from: Year | None = Field(None, description="Earliest year of publication.")
    year_to: Year | None = Field(None, description="Latest year of publication.")
    sort: Literal["relevance", "newest", "oldest", "title"] | None = Field(
        None, description="Order of results: relevance (the default with q) or newest (without)."
    )

    def as_query_dict(self) -> QueryDict:
        """The validated parameters in the form the catalogue's one search function reads."""
        data = QueryDict(mutable=True)
        data["q"] = self.q
        for name in ("type", "subject", "nation", "review_type", "board", "availability"):
            data.setlist(name, [str(value) for value in getattr(self, name)])
        for name in ("year_from", "year_to", "sort"):
            if getattr(self, name) is not None:
                data[name] = str(getattr(self, name))
        data["limit"] = str(self.limit)
        data["offset"] = str(self.offset)
        return data


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


def record_freshness(
    request: HttpRequest, record_id: int, published: datetime.datetime | None
) -> Freshness:
    """Validators for a record's answers: its publication, the index version (vocabulary and
    restriction changes), the day (documents go offline on their online-until date) and the
    caller's visibility."""
    version = index_version(request)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return freshness(
        request,
        "record",
        record_id,
        published,
        version,
        midnight.date(),
        last_modified=latest(published, index_changed_at(version), midnight),
    )


def _json_default(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def record_detail_json(request: HttpRequest, record_id: int, published) -> str:
    """The record's detail as JSON for this host: its prepared detail when current, else one
    built and cached per published version, index version and day (documents go offline on
    their online-until date)."""
    today = timezone.localdate()
    detail = prepared_record_detail(record_id, published, today)
    if detail is None:
        stamp = published.timestamp() if published else 0
        detail = cache.get_or_set(
            f"api:record:{record_id}:{stamp}:{index_version(request)}:{today.isoformat()}",
            lambda: build_record_detail(load_record(record_id), today),
            CACHE_SECONDS,
        )
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

catalogue_router = Router(tags=["catalogue"], auth=READ_AUTH)


@catalogue_router.get(
    "/search",
    response={200: SearchOut, 304: None},
    url_name="catalogue_search",
    operation_id="catalogue_search",
    summary="Search the catalogue",
    description="Records the caller may see, with exact facet counts over all matches, a "
    "spelling suggestion when few records match and the query as understood.",
    openapi_extra=documented(422),
)
def search(request, query: SearchQuery = Query(...)):  # noqa: B008
    """One page of results from the catalogue's one search function, with every facet."""
    fresh, key, body = None, None, None
    # Elasticsearch does not keep the embedded engines' index version, so its answers are
    # validated by their content instead, and not cached here.
    if not settings.ELASTICSEARCH_URL:
        version = index_version()
        fresh = freshness(request, "search", version, last_modified=index_changed_at(version))
        if (unchanged := fresh.not_modified(request)) is not None:
            return unchanged
        key = f"api:search:{fresh.etag}"
        body = cache.get(key)
    if body is None:
        # The answer is built to SearchOut's shape (the OpenAPI contract tests check it);
        # validating every answer again through ninja's schema cost more than the search.
        body = json.dumps(search_answer(request, query), default=_json_default)
        if key is not None:
            cache.set(key, body, SEARCH_CACHE_SECONDS)
    if fresh is None:
        fresh = freshness(request, hashlib.sha256(body.encode()).hexdigest())
        if (unchanged := fresh.not_modified(request)) is not None:
            return unchanged
    response = json_response(body)
    fresh.stamp(request, response)
    return response


def search_answer(request: HttpRequest, query: SearchQuery) -> dict:
    """The search response's data, from the catalogue's one search function."""
    results = search_catalogue(parse_search_params(query.as_query_dict()), request.user)
    return {
        "count": results.count,
        "items": [record_summary(request, hit.record, hit.highlight) for hit in results.hits],
        "facets": {
            name: [
                {
                    "value": str(value.value),
                    "label": str(value.label),
                    "count": value.count,
                    "selected": value.selected,
                }
                for value in results.facets.get(name, [])
            ]
            for name in FACET_NAMES
        },
        "suggestion": results.suggestion,
        "understood_query": str(results.understood),
        "messages": [*unknown_vocabulary(query), *(str(message) for message in results.messages)],
        "offset": results.offset,
        "limit": results.limit,
    }


@catalogue_router.get(
    "/records/{record_id}",
    response={200: RecordDetail, 304: None},
    url_name="catalogue_record",
    operation_id="catalogue_record",
    summary="A catalogue record",
    description="Every bibliographic field, subjects, keywords, case review facts, documents, "
    "the citation in the default style and links to every export.",
    openapi_extra=documented(404, 422),
)
def record(request, record_id: int = Path(..., ge=1, le=MAX_ID)):
    """One record the caller may see; a restricted or unpublished one is a 404."""
    record_id, published = visible_record_stamp(request, record_id)
    fresh = record_freshness(request, record_id, published)
    if (unchanged := fresh.not_modified(request)) is not None:
        return unchanged
    response = json_response(record_detail_json(request, record_id, published))
    fresh.stamp(request, response)
    return response


EXPORT_MEDIA_TYPES = {
    export_format.media_type: str(export_format.label) for export_format in EXPORT_FORMATS.values()
}


@catalogue_router.get(
    "/records/{record_id}/export",
    response={200: None, 304: None},
    url_name="catalogue_record_export",
    operation_id="catalogue_record_export",
    summary="A record in a bibliographic format",
    openapi_extra=documented(404, 422, media_types=EXPORT_MEDIA_TYPES),
)
def record_export(
    request,
    record_id: int = Path(..., ge=1, le=MAX_ID),
    query: ExportQuery = Query(...),  # noqa: B008
):
    """The record written by the catalogue's exporters, with the format's media type."""
    record_id, published = visible_record_stamp(request, record_id)
    fresh = record_freshness(request, record_id, published)
    if (unchanged := fresh.not_modified(request)) is not None:
        return unchanged
    found = load_record(record_id)
    exported = export([found], query.format)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = (
        f'inline; filename="{exported.filename(f"record-{found.pk}")}"'
    )
    fresh.stamp(request, response)
    return response


@catalogue_router.get(
    "/records/{record_id}/citation",
    response={200: CitationOut, 304: None},
    url_name="catalogue_record_citation",
    operation_id="catalogue_record_citation",
    summary="A record's citation in a chosen style",
    openapi_extra=documented(
        404, 422, media_types={"text/html": "output=html", "text/plain": "output=plain"}
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
    fresh = record_freshness(request, record_id, published)
    if (unchanged := fresh.not_modified(request)) is not None:
        return unchanged
    citation = cached_citation(record_id, published, query.style)
    if query.output == "json":
        fresh.stamp(request, response)
        return citation
    body, media_type = (
        (citation["html"], "text/html")
        if query.output == "html"
        else (citation["text"], "text/plain")
    )
    plain = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    fresh.stamp(request, plain)
    return plain


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
    version = index_version()
    fresh = freshness(
        request,
        "new",
        since,
        count,
        page,
        version,
        last_modified=latest(*(published for _pk, published in page), index_changed_at(version)),
    )
    if (unchanged := fresh.not_modified(request)) is not None:
        return unchanged
    found = {
        found.pk: found
        for found in CatalogueRecord.objects.filter(pk__in=[pk for pk, _ in page]).prefetch_related(
            "contributors"
        )
    }
    fresh.stamp(request, response)
    return {
        "count": count,
        "items": [record_summary(request, found[pk]) for pk, _ in page if pk in found],
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


subjects_router = Router(tags=["subjects"], auth=READ_AUTH)


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
    fresh = body_freshness(request, data)
    if (unchanged := fresh.not_modified(request)) is not None:
        return unchanged
    fresh.stamp(request, response)
    return data
