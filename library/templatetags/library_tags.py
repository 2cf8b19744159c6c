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


@register.simple_tag(takes_context=True)
def site_helpline(context) -> str:
    """The helpline number from the site settings of the request's site (or the default site,
    for a digest rendered without a request); "" when none is set."""
    from wagtail.models import Site

    from shelfmark_core.models import SiteSettings

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    return SiteSettings.for_site(site).helpline_phone
