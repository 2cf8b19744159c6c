"""Links to the catalogue's Atom feeds for page heads and results pages (library.feeds)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from library.feeds import FEED_MEDIA_TYPE, search_feed_url

register = template.Library()


@register.simple_tag(takes_context=True)
def search_feed(context) -> str:
    """The feed of the search a results page shows."""
    request = context["request"]
    page = context.get("page")
    return search_feed_url(request.GET, page if getattr(page, "search_context", None) else None)


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
