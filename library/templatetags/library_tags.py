"""Template tags for catalogue pages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def record_citation(record) -> str:
    """The record's full citation in the house style (Harvard), as safe HTML.

    The one place record pages cite a record; it falls back to a plain author-year-title
    reference while library.formats is unavailable.
    """
    try:
        from library.formats.citations import render_citation
        from library.formats.csl import record_to_csl
    except ImportError:
        return plain_citation(record)
    return mark_safe(render_citation(record_to_csl(record)))  # noqa: S308 - escaped by formats


def plain_citation(record) -> str:
    """Authors (year) Title. Place: Publisher."""
    published = ": ".join(part for part in (record.place_of_publication, record.publisher) if part)
    return format_html(
        "{}{} <i>{}</i>.{}",
        record.authors_display() + " " if record.authors_display() else "",
        f"({record.publication_year})" if record.publication_year else "",
        record.title,
        f" {published}." if published else "",
    )
