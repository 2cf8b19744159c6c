"""Links to the catalogue's Atom feeds (library.feeds) for page heads and results pages, and
to the exports of a results page's records."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from library.feeds import FEED_MEDIA_TYPE, search_feed_url
from library.formats.exporters import EXPORT_FORMATS
from library.models import Nation, RecordType, Subject
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
    params = context.get("params")
    if context.get("results") is not None and params is not None:
        links.append((_("This search"), search_feed(context)))
        links += filter_feeds(params)
    return format_html_join(
        "\n    ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((FEED_MEDIA_TYPE, title, url) for title, url in links),
    )


def filter_feeds(params) -> list[tuple[str, str]]:
    """The standing feeds of the one subject, record type or nation a results page filters by."""
    feeds = []
    for name, url_name, title, exists in (
        (
            "subject",
            "feed_subject",
            _("New in this subject"),
            lambda slug: Subject.objects.filter(slug=slug).exists(),
        ),
        ("record_type", "feed_record_type", _("New of this type"), RecordType.values.__contains__),
        (
            "nation",
            "feed_nation",
            _("New case reviews from this nation"),
            Nation.values.__contains__,
        ),
    ):
        chosen = params.selected(name)
        if len(chosen) == 1 and exists(chosen[0]):
            feeds.append((title, reverse(url_name, args=[chosen[0]])))
    return feeds


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
