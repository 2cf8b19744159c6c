"""Template tags for the learning pages."""

from django import template

register = template.Library()


@register.simple_tag
def filter_query(filters, key: str, value) -> str:
    """The query string of `filters` with one choice changed (and the page reset)."""
    return "?" + filters.query_string(**{key: value})
