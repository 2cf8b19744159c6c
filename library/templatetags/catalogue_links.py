"""Links to the catalogue's Atom feeds (library.feeds) for page heads and results pages, and
to the exports of a results page's records."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from library.feeds import FEED_MEDIA_TYPE, search_feed_url
from library.formats.exporters import EXPORT_FORMATS
from library.templatetags.catalogue_search import current_query

register = template.Library()


@register.simple_tag(takes_context=True)
def search_feed(context) -> str:
    """The feed of the search a results page shows."""
    page = context.get("page")
    section = page if getattr(page, "search_context", None) else None
    return search_feed_url(current_query(context), section)


@register.simple_tag(takes_context=True)
def feed_links(context) -> str:
    """`<link rel="alternate">` elements: new additions everywhere, and the search on a results
    page."""
    links = [(_("New in the library"), reverse("feed_new"))]
    if context.get("results") is not None and context.get("params") is not None:
        links.append((_("This search"), search_feed(context)))
    return format_html_join(
        "\n    ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((FEED_MEDIA_TYPE, title, url) for title, url in links),
    )


@register.simple_tag(takes_context=True)
def search_exports(context) -> list[tuple[str, str, str]]:
    """(label, address, media type) exporting the records a results page shows, in every
    export format."""
    page = context.get("page")
    query = current_query(context)
    query.pop("within", None)
    if getattr(page, "search_context", None):
        query["within"] = str(page.pk)
    suffix = "?" + query.urlencode() if query else ""
    return [
        (
            export_format.label,
            reverse("search_export", args=[name]) + suffix,
            export_format.media_type,
        )
        for name, export_format in EXPORT_FORMATS.items()
    ]
