"""Search parameters from a query string, tolerant of anything a user or partner sends."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SORTS = ("relevance", "newest", "oldest", "title")
FACET_NAMES = (
    "record_type",
    "subject",
    "year",
    "nation",
    "review_type",
    "board",
    "availability",
)
FILTER_NAMES = ("record_type", "subject", "nation", "review_type", "board", "availability")
FILTER_ALIASES = {"type": "record_type"}
MAX_QUERY_LENGTH = 500
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_VALUES_PER_FILTER = 50
MAX_OFFSET = 100_000


@dataclass
class SearchParams:
    """What to search for: query text, filters, sort and the page wanted."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    messages: list[str] = field(default_factory=list)

    def selected(self, name: str) -> list[str]:
        """The values chosen for one filter."""
        return self.filters.get(name, [])


def _int_or_none(raw: str | None) -> int | None:
    if raw is None or not str(raw).strip():
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        return None


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def parse_search_params(data, *, page_size: int = DEFAULT_LIMIT) -> SearchParams:
    """SearchParams from a QueryDict-like mapping; bad values become messages, not errors.

    Accepts `page` (1-based, for the site) or `offset` (for the API), and repeated filter
    parameters (`?subject=neglect&subject=sexual-abuse`).
    """
    getlist = data.getlist if hasattr(data, "getlist") else lambda key: _as_list(data.get(key))
    params = SearchParams()
    raw_q = str(data.get("q") or "")
    params.q = raw_q.replace("\x00", " ").strip()
    if len(params.q) > MAX_QUERY_LENGTH:
        params.q = params.q[:MAX_QUERY_LENGTH]
        params.messages.append(
            str(_("Your search was shortened to its first %(n)s characters.") % {"n": 500})
        )

    for key in (*FILTER_NAMES, *FILTER_ALIASES):
        name = FILTER_ALIASES.get(key, key)
        values = [str(v).strip() for v in getlist(key) if str(v).strip()]
        if values:
            merged = params.filters.setdefault(name, [])
            merged.extend(v[:200] for v in values if v not in merged)
            del merged[MAX_VALUES_PER_FILTER:]

    for bound in ("year_from", "year_to"):
        raw = data.get(bound)
        value = _int_or_none(raw)
        if raw not in (None, "") and value is None:
            params.messages.append(
                str(_("%(value)s is not a year; enter four digits such as 2013.") % {"value": raw})
            )
        elif value is not None and not 0 < value < 10000:
            params.messages.append(str(_("Years must have four digits, such as 2013.")))
            value = None
        setattr(params, bound, value)
    if params.year_from and params.year_to and params.year_from > params.year_to:
        params.year_from, params.year_to = params.year_to, params.year_from
        params.messages.append(str(_("The years were the wrong way round, so they were swapped.")))

    sort = str(data.get("sort") or "").strip()
    if sort in SORTS:
        params.sort = sort
    elif sort:
        params.messages.append(
            str(_("Sorting by %(sort)s is not available; showing the most relevant first."))
            % {"sort": sort[:40]}
        )
    if not params.q and params.sort == "relevance" and not sort:
        params.sort = "newest"

    limit = _int_or_none(data.get("limit"))
    params.limit = page_size if limit is None else max(1, min(limit, MAX_LIMIT))
    offset = _int_or_none(data.get("offset"))
    page = _int_or_none(data.get("page"))
    if offset is None and page is not None:
        offset = (max(page, 1) - 1) * params.limit
    params.offset = max(0, min(offset or 0, MAX_OFFSET))
    return params
