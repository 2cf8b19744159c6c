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


FILTER_TITLES = {
    "record_type": "Type",
    "subject": "Subject",
    "nation": "Nation",
    "review_type": "Review type",
    "board": "Board or partnership",
    "availability": "Availability",
}


def filter_label(name: str, value: str, results=None) -> str:
    """The label a filter value is shown with on the page ("Wales", not "wales")."""
    for facet in (getattr(results, "facets", None) or {}).get(name, []):
        if facet.value == value:
            return facet.label
    from library.models import Availability, Board, Nation, RecordType, ReviewType, Subject

    choices = {
        "record_type": RecordType,
        "nation": Nation,
        "review_type": ReviewType,
        "availability": Availability,
    }
    if name in choices:
        return str(dict(choices[name].choices).get(value, value))
    if name == "subject":
        lookup = {"pk": value} if value.isdigit() else {"slug": value}
        return Subject.objects.filter(**lookup).values_list("name", flat=True).first() or value
    if name == "board" and value.isdigit():
        return Board.objects.filter(pk=value).values_list("name", flat=True).first() or value
    return value


@register.simple_tag(takes_context=True)
def active_filters(context) -> list[dict]:
    """The filters in use, each with its label as shown and the link that removes it alone."""
    params = context.get("params")
    if params is None:
        return []
    results = context.get("results")
    chosen = []
    for name, values in params.filters.items():
        for value in values:
            chosen.append(
                {
                    "name": name,
                    "value": value,
                    "label": filter_label(name, value, results),
                    "remove_url": toggle_filter(context, name, value),
                }
            )
    return chosen


@register.simple_tag(takes_context=True)
def search_hidden_inputs(context) -> list[tuple[str, str]]:
    """The filters and sort in use as (name, value): a new query typed in the search box keeps
    them (sticky filters) until the user removes them."""
    return hidden_inputs(context, "q", "year_from", "year_to")


@register.simple_tag(takes_context=True)
def section_url(context, app_label: str, model: str) -> str:
    """The address of the site's first live page of a type ("" if there is none), for links
    across apps without importing them (the enquiry form, reading lists)."""
    from wagtail.models import Page

    page = (
        Page.objects.live()
        .filter(content_type__app_label=app_label, content_type__model=model)
        .order_by("path")
        .first()
    )
    if page is None:
        return ""
    request = context.get("request")
    return page.get_url(request=request) or ""


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
