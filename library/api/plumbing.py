"""What every router of the partner API shares: the API object, errors, tokens, rate limits,
conditional requests and addresses.

It lives in `library` rather than `home` because validators name the caller's visibility
(`library.visibility`), and every app that has a router (readinglists, enquiries) may import
`library`. library/api/site.py builds one `PartnerAPI` and mounts each app's router on it.

- `PartnerAPI`: a NinjaAPI with only our routers, Wagtail v3's problem+json errors, token
  authentication and ninja's throttles configured once.
- Authentication: no token means anonymous (public records only); a token that is wrong,
  revoked or belongs to an inactive user is refused with 401, never read as anonymous.
- Rate limits: ninja's throttles, per token and per client IP; a request with a bad token
  counts against its IP, so guessing tokens is limited too.
- `Validators` and `not_modified()`: ETag and Last-Modified checked by Django's
  `get_conditional_response`. ETags always include the caller's visibility; Last-Modified is
  sent only for answers that are the same for everyone allowed to get them.
"""

import datetime
import hashlib
import math
import threading
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, Throttled
from ninja.throttling import SimpleRateThrottle
from pydantic import BaseModel
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import ProblemDetail, problem_response, register_exception_handlers
from wagtail.models import APIToken

from library.record_details import API_NAMESPACE
from library.search.engines.base import SearchUnavailable
from library.search.models import SearchIndexState
from library.search.params import MAX_LIMIT, MAX_OFFSET
from library.search.results import site_path, site_roots
from library.visibility import audience_of_request
from shelfmark_core.conf import app_setting
from shelfmark_core.ratelimit import client_ip

MAX_ID = 2_147_483_647  # the largest page id any database here stores

# --- Errors ---------------------------------------------------------------------------------


class APIProblem(Exception):
    """An error answered as application/problem+json."""

    def __init__(self, status: int, detail: str, *, errors=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def not_found(what: str) -> APIProblem:
    """A 404 that reads the same for a missing item and one the caller may not see."""
    return APIProblem(
        404,
        _("There is no %(what)s with this id, or your token does not give access to it.")
        % {"what": what},
    )


PROBLEM_SCHEMA = ProblemDetail.model_json_schema()
ERROR_DESCRIPTIONS = {
    400: "The request body is not JSON.",
    401: "The bearer token is wrong, revoked or belongs to an inactive account "
    "(send no Authorization header to read public records).",
    403: "The token may not do this.",
    404: "Nothing with this id exists, or the caller may not see it (the same answer for both).",
    422: "A parameter is not valid; `errors` lists each one with its location and a message.",
    429: "Too many requests from this token or address; wait for the seconds in Retry-After.",
    503: "The catalogue search cannot be reached just now; retry after the seconds in Retry-After.",
}
ETAG_HEADER = {
    "ETag": {
        "description": "Changes whenever the answer would, and differs between callers who "
        "see different records; send it back in If-None-Match.",
        "schema": {"type": "string"},
    }
}
LAST_MODIFIED_HEADER = {
    "Last-Modified": {
        "description": "No earlier than the last change; send it back in If-Modified-Since. "
        "Only on answers that are the same for every caller allowed to get them.",
        "schema": {"type": "string"},
    }
}


def string_body(description: str) -> dict:
    return {"type": "string", "description": description}


def documented(
    *statuses: int,
    media_types: dict[str, str | dict] | None = None,
    last_modified: bool = False,
    anonymous: bool = True,
) -> dict:
    """`openapi_extra` describing an endpoint's problem+json errors and validator headers.

    `media_types` ({media type: description, or a JSON schema}) adds 200 bodies that are not
    the operation's response schema; a description alone means a string body.
    Security adds anonymous access to the partner token unless `anonymous` is false.
    """
    responses: dict[int, dict] = {
        status: {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
        }
        for status in (401, 429, *statuses)
    }
    headers = {**ETAG_HEADER, **(LAST_MODIFIED_HEADER if last_modified else {})}
    ok: dict[str, Any] = {"headers": headers}
    if media_types:
        ok["content"] = {
            media_type: {"schema": body if isinstance(body, dict) else string_body(body)}
            for media_type, body in media_types.items()
        }
    responses[200] = ok
    # ninja lists the PartnerToken scheme itself; anonymous access is an empty requirement.
    return {"responses": responses, "security": [{}] if anonymous else []}


def problem_handler(request: HttpRequest, exc: APIProblem) -> HttpResponse:
    response = problem_response(status=exc.status, detail=exc.detail, errors=exc.errors)
    for header, value in exc.headers.items():
        response[header] = value
    return response


def throttled_handler(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = max(1, math.ceil(exc.wait)) if exc.wait is not None else 60
    response = problem_response(
        status=429,
        detail=_("Too many requests from this token or address. Try again in %(wait)s seconds.")
        % {"wait": wait},
    )
    response["Retry-After"] = str(wait)
    return response


def token_required_handler(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(
        status=401,
        detail=_("This endpoint needs a partner token: send it as Authorization: Bearer <token>."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def search_unavailable_handler(request: HttpRequest, exc: SearchUnavailable) -> HttpResponse:
    response = problem_response(
        status=503,
        detail=_(
            "The catalogue search cannot be reached just now; try again in a minute. "
            "Records can still be read by their id."
        ),
    )
    response["Retry-After"] = "60"
    return response


def not_found_handler(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(status=404, detail=str(exc) or _("There is nothing at this address."))


# --- Authentication and rate limits -----------------------------------------------------------


def _per_thread(name: str) -> property:
    """An attribute kept per thread: ninja keeps one throttle object per operation and stores
    each request's key and history on it, which threads serving requests at once would mix."""
    return property(
        lambda self: getattr(self._state, name),
        lambda self, value: setattr(self._state, name, value),
    )


class SettingRateThrottle(SimpleRateThrottle):
    """ninja's throttle with its (requests, seconds) rate read from a setting on each request,
    so the environment and settings overrides apply, and with hashed cache keys (addresses and
    token ids are personal data)."""

    setting = ""
    key = _per_thread("key")
    history = _per_thread("history")
    now = _per_thread("now")
    num_requests = _per_thread("num_requests")
    duration = _per_thread("duration")

    def __init__(self):
        self._state = threading.local()
        self.rate = None  # read from the setting per request, in allow_request

    def ident(self, request: HttpRequest) -> str | None:
        """Who is counted, or None for a request this throttle does not count."""
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = app_setting(self.setting)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        ident = self.ident(request)
        if ident is None:
            return None
        digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


def token_of(request: HttpRequest) -> APIToken | None:
    """The partner token the request was authenticated with, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, APIToken) else None


class TokenReadThrottle(SettingRateThrottle):
    """Read requests per partner token (SHELFMARK_API_RATE_LIMIT_TOKEN)."""

    scope = "api-token"
    setting = "SHELFMARK_API_RATE_LIMIT_TOKEN"

    def ident(self, request):
        token = token_of(request)
        return None if token is None else str(token.pk)


class AddressReadThrottle(SettingRateThrottle):
    """Requests without a valid token, per client IP (SHELFMARK_API_RATE_LIMIT_ANONYMOUS)."""

    scope = "api-address"
    setting = "SHELFMARK_API_RATE_LIMIT_ANONYMOUS"

    def ident(self, request):
        return None if token_of(request) is not None else client_ip(request)


class EnquiryThrottle(SettingRateThrottle):
    """Enquiries submitted per partner token (ENQUIRIES_API_RATE_LIMIT)."""

    scope = "api-enquiry"
    setting = "ENQUIRIES_API_RATE_LIMIT"

    def ident(self, request):
        token = token_of(request)
        return None if token is None else str(token.pk)


ADDRESS_THROTTLE = AddressReadThrottle()


class PartnerToken(BearerTokenAuth):
    """`Authorization: Bearer <token>` from `create_partner_token`; a bad token is a 401.

    Without an Authorization header it answers None, so the next auth callback (anonymous
    reading) or ninja's 401 for token-only endpoints takes over.
    """

    def __call__(self, request):
        if not request.headers.get(self.header):
            return None
        api_token = super().__call__(request)
        if api_token is None:
            # Bad tokens count against the address, so guessing tokens is rate limited too.
            if not ADDRESS_THROTTLE.allow_request(request):
                raise Throttled(wait=ADDRESS_THROTTLE.wait())
            raise APIProblem(
                401,
                _(
                    "This API token is not valid or has been revoked. Ask the library for a "
                    "new token, or send no Authorization header to read public records only."
                ),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return api_token


def anonymous_reader(request):
    """A request without a token reads public records only (a session cookie never counts).

    A plain callable rather than an auth class: anonymous access is documented as an empty
    security requirement, not as a security scheme of its own.
    """
    request.user = AnonymousUser()
    return request.user


class PartnerAPI(NinjaAPI):
    """The partner API: only the routers mounted on it, errors as problem+json, partner
    tokens or anonymous reading, and read rate limits, configured once for every router."""

    def __init__(self, **kwargs):
        kwargs.setdefault("auth", [PartnerToken(), anonymous_reader])
        kwargs.setdefault("throttle", [TokenReadThrottle(), ADDRESS_THROTTLE])
        super().__init__(**kwargs)
        register_exception_handlers(self)
        self.add_exception_handler(APIProblem, problem_handler)
        self.add_exception_handler(Throttled, throttled_handler)
        self.add_exception_handler(AuthenticationError, token_required_handler)
        self.add_exception_handler(Http404, not_found_handler)
        self.add_exception_handler(SearchUnavailable, search_unavailable_handler)

    def validation_error_from_error_contexts(self, error_contexts):
        """Locations name parameters, not the schema argument that groups them: ninja maps
        `?limit=` to ["query", "limit"] but an error on one value of a repeated parameter
        (`?type=nope`) would keep the argument's name, ["query", "query", "type", 0]."""
        error = super().validation_error_from_error_contexts(error_contexts)
        grouped = {
            name
            for context in error_contexts
            for name, field in context.model.model_fields.items()
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
        }
        for item in error.errors:
            source, *rest = item["loc"]
            if len(rest) > 1 and rest[0] in grouped:
                item["loc"] = (source, *rest[1:])
        return error


# --- Conditional requests ----------------------------------------------------------------------


def index_version(request: HttpRequest) -> int:
    """The search index version, read once per request: it changes whenever a record is
    indexed or removed, or a subject, board or agency a record shows changes."""
    if not hasattr(request, "_api_index_version"):
        request._api_index_version = SearchIndexState.current()
    return request._api_index_version


def index_changed_at(version: int) -> datetime.datetime:
    """When this process (or the shared cache) first saw `version`: no earlier than the change."""
    stamp = cache.get_or_set(f"api:index-seen:{version}", lambda: timezone.now().timestamp(), None)
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def latest(*moments) -> datetime.datetime | None:
    """The latest of these moments that are known."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


@dataclass(frozen=True)
class Validators:
    """An answer's ETag and, for answers the same for every caller allowed them, Last-Modified."""

    etag: str
    last_modified: datetime.datetime | None = None


def validators(
    request: HttpRequest, *parts, last_modified: datetime.datetime | None = None
) -> Validators:
    """Validators from what an answer depends on, plus the caller's visibility, the host
    (answers hold absolute URLs) and the address asked for (query included), so that one
    caller's copy never validates for another who may see less.

    Pass `last_modified` only for answers that are the same for everyone allowed to get them:
    a date cannot say who it was issued to, so answers that differ by caller (search, lists)
    are validated by their ETag alone.
    """
    key = "|".join(
        [
            *map(str, parts),
            audience_of_request(request).key,
            request.get_host(),
            request.get_full_path(),
        ]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return Validators(etag=f'"{digest}"', last_modified=last_modified)


def content_validators(request: HttpRequest, content: str | bytes) -> Validators:
    """Validators from the answer itself, for answers without a version of their own."""
    body = content.encode() if isinstance(content, str) else content
    return validators(request, hashlib.sha256(body).hexdigest())


def not_modified(
    request: HttpRequest, response: HttpResponse, found: Validators
) -> HttpResponse | None:
    """Put the validators and caching rules on `response` and answer 304 (or 412) when the
    client's copy is current, by Django's rules (If-None-Match before If-Modified-Since)."""
    response["ETag"] = found.etag
    if found.last_modified is not None:
        response["Last-Modified"] = http_date(found.last_modified.timestamp())
    # Answers differ by token, so shared caches must keep them apart and revalidate.
    token = request.headers.get("Authorization")
    response["Cache-Control"] = "private, no-cache" if token else "no-cache"
    patch_vary_headers(response, ["Authorization"])
    last_modified = found.last_modified.timestamp() if found.last_modified else None
    conditional = get_conditional_response(
        request, etag=found.etag, last_modified=last_modified and int(last_modified)
    )
    if conditional is None:
        return None
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        if header in response:
            conditional[header] = response[header]
    return conditional


def stamped(request: HttpRequest, response: HttpResponse, found: Validators) -> HttpResponse:
    """`response` with the validators on it, or the 304 that replaces it."""
    return not_modified(request, response, found) or response


# --- Addresses ---------------------------------------------------------------------------------


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
