"""Atom feeds of the catalogue (Django's syndication framework): new additions to the whole
catalogue, per subject, per record type, case reviews per nation, and any search.

Feed readers fetch without the reader's session and share what they fetch, so every feed lists
what the public may see (library.visibility), whoever asks.
"""

import datetime
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from library.formats.text import html_to_text
from library.models import (
    CatalogueRecord,
    Nation,
    RecordType,
    Subject,
)
from library.search import parse_search_params, search_catalogue
from library.views import search_section
from library.visibility import audience_for

FEED_LENGTH = 50
FEED_MEDIA_TYPE = "application/atom+xml"


class AtomWithAuthors(Atom1Feed):
    """Atom with one `author` element per contributor (Django writes at most one)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class CatalogueFeed(Feed):
    """New records the public may see, newest first; subclasses narrow the records."""

    feed_type = AtomWithAuthors
    title = _("New in the library")
    subtitle = _("Records newly added to the catalogue.")

    def link(self, obj=None):
        return reverse("feed_new")

    def records(self, obj):
        """The records this feed lists (before ordering and the length limit)."""
        return CatalogueRecord.objects.visible_to(audience_for(None))

    def items(self, obj=None):
        return list(
            self.records(obj)
            .order_by("-date_added", "-pk")
            .prefetch_related("contributors")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title + (f": {item.subtitle}" if item.subtitle else "")

    def item_link(self, item):
        return item.get_url() or "/"

    def item_description(self, item):
        return html_to_text(item.abstract)

    def item_pubdate(self, item):
        return timezone.make_aware(
            datetime.datetime.combine(item.date_added, datetime.time()), datetime.UTC
        )

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_extra_kwargs(self, item):
        return {"authors": item.author_names}

    def item_categories(self, item):
        return [str(item.get_record_type_display())]


class SubjectFeed(CatalogueFeed):
    def get_object(self, request, slug):
        try:
            return Subject.objects.get(slug=slug)
        except Subject.DoesNotExist:
            raise Http404(_("There is no subject called %(slug)s.") % {"slug": slug[:80]}) from None

    def title(self, obj):
        return _("New in the library: %(subject)s") % {"subject": obj.name}

    def link(self, obj):
        return reverse("feed_subject", args=[obj.slug])

    def records(self, obj):
        return super().records(obj).filter(subjects=obj)


class RecordTypeFeed(CatalogueFeed):
    def get_object(self, request, record_type):
        if record_type not in RecordType.values:
            raise Http404(
                _("There is no record type called %(name)s.") % {"name": record_type[:80]}
            )
        return RecordType(record_type)

    def title(self, obj):
        return _("New in the library: %(type)s") % {"type": obj.label}

    def link(self, obj):
        return reverse("feed_record_type", args=[obj.value])

    def records(self, obj):
        return super().records(obj).filter(record_type=obj.value)


class NationFeed(CatalogueFeed):
    def get_object(self, request, nation):
        if nation not in Nation.values:
            raise Http404(_("There is no nation called %(name)s.") % {"name": nation[:80]})
        return Nation(nation)

    def title(self, obj):
        return _("New case reviews: %(nation)s") % {"nation": obj.label}

    def link(self, obj):
        return reverse("feed_nation", args=[obj.value])

    def records(self, obj):
        return super().records(obj).filter(record_type=RecordType.CASE_REVIEW, nation=obj.value)


class SearchFeed(CatalogueFeed):
    """Any search of the catalogue (the query string of a results page), newest first,
    through the one search door."""

    def get_object(self, request):
        return request.GET, search_section(request.GET.get("within", ""))

    def title(self, obj):
        query = obj[0].get("q", "").strip()
        if query:
            return _("Catalogue search: %(query)s") % {"query": query[:200]}
        return _("Catalogue search")

    def link(self, obj):
        return search_feed_url(obj[0], obj[1])

    def items(self, obj):
        query, within = obj
        data = query.copy()
        data["sort"] = "newest"
        data.pop("page", None)
        params = parse_search_params(data, page_size=FEED_LENGTH)
        results = search_catalogue(params, audience_for(None), within=within)
        ids = [hit.record.pk for hit in results.hits]
        by_id = {
            record.pk: record
            for record in CatalogueRecord.objects.filter(pk__in=ids).prefetch_related(
                "contributors"
            )
        }
        return [by_id[pk] for pk in ids if pk in by_id]


def search_feed_url(query, within=None) -> str:
    """The feed of a results page's search (its query string, without page or sort)."""
    pairs = [
        (key, value)
        for key, values in query.lists()
        for value in values
        if key not in {"page", "sort", "within"}
    ]
    if within is not None:
        pairs.append(("within", str(within.pk)))
    return reverse("feed_search") + ("?" + urlencode(pairs) if pairs else "")
