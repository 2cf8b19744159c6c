"""Template helpers for search result pages: links that change one part of the query."""

from django import template
from django.http import QueryDict

register = template.Library()


def current_query(context) -> QueryDict:
    """The request's query string as the search understood it: the words cut to the length the
    search reads (params.q), so a huge query is not repeated in every link of the page."""
    query = context["request"].GET.copy()
    params = context.get("params")
    if params is not None and "q" in query:
        query["q"] = params.q
    return query


@register.simple_tag(takes_context=True)
def toggle_filter(context, name: str, value: str) -> str:
    """The current query string with one filter value added or removed, from page one."""
    query = current_query(context)
    values = query.getlist(name)
    if name == "record_type":
        values += query.getlist("type")
        query.pop("type", None)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    query.pop("page", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def with_param(context, name: str, value) -> str:
    """The current query string with one parameter set (or removed when empty)."""
    query = current_query(context)
    query.pop(name, None)
    if value not in (None, ""):
        query[name] = str(value)
    if name != "page":
        query.pop("page", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def decade_link(context, decade: str) -> str:
    """The current query string limited to one decade."""
    query = current_query(context)
    query["year_from"] = decade
    query["year_to"] = str(int(decade) + 9)
    query.pop("page", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def hidden_inputs(context, *skip: str) -> list[tuple[str, str]]:
    """(name, value) pairs of the current query except `skip`, for forms without JS."""
    query: QueryDict = context["request"].GET
    return [
        (key, value)
        for key, values in query.lists()
        if key not in skip and key != "page"
        for value in values
    ]


@register.filter
def page_window(results, width: int = 2) -> list[int]:
    """Page numbers around the current page, always including the first and last."""
    current, last = results.page_number, results.page_count
    pages = {1, last, *range(max(1, current - width), min(last, current + width) + 1)}
    return sorted(pages)


@register.simple_tag(takes_context=True)
def without(context, *names: str) -> str:
    """The current query string without the given parameters."""
    query = current_query(context)
    for name in (*names, "page"):
        query.pop(name, None)
    return "?" + query.urlencode()


@register.simple_tag
def sort_choices() -> list[tuple[str, str]]:
    """The orders results can be sorted in, with their labels."""
    from django.utils.translation import gettext as _

    return [
        ("relevance", _("Relevance")),
        ("newest", _("Newest first")),
        ("oldest", _("Oldest first")),
        ("title", _("Title A to Z")),
    ]
