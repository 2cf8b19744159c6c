"""Issue pages: each digest issue is a page (its web copy), with an editor's introduction and
featured records; the archive page lists past issues and serves them as an Atom feed."""

import datetime

from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from currentawareness.choices import SERVICE_TITLES, Service
from currentawareness.matching import absolute_url, matching_items, new_public_items, site_links
from library.models import CatalogueRecord
from library.visibility import audience_for, visible_pages

ISSUES_PER_PAGE = 20
FEED_ITEMS = 30


def items_for_issue(service: str, start: datetime.date, end: datetime.date, links=None):
    """The public records an issue of `service` covers, for its web copy: for CASPAR every
    new record filed under a thesaurus subject."""
    items = new_public_items(start, end, links or site_links())
    if service == Service.CASPAR:
        return [item for item in items if item.subject_ids]
    return matching_items(service, items, start, choices=None)


class DigestArchivePage(RoutablePageMixin, Page):
    """ "Current awareness": the services, the sign-up link and every past issue."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["currentawareness.DigestIssuePage"]

    class Meta:
        verbose_name = _("current awareness archive")

    def issues(self, service: str = ""):
        issues = visible_pages(DigestIssuePage.objects.child_of(self), audience_for(None))
        if service in Service.values:
            issues = issues.filter(service=service)
        return issues.order_by("-period_end", "service")

    @path("")
    def index(self, request):
        service = request.GET.get("service", "")
        try:
            page_number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page_number = 1
        issues = self.issues(service)
        start = (page_number - 1) * ISSUES_PER_PAGE
        shown = list(issues[start : start + ISSUES_PER_PAGE + 1])
        return self.render(
            request,
            context_overrides={
                "issues": shown[:ISSUES_PER_PAGE],
                "service": service if service in Service.values else "",
                "services": Service.choices,
                "page_number": page_number,
                "has_next": len(shown) > ISSUES_PER_PAGE,
            },
        )

    @path("feed/", name="feed")
    def feed(self, request):
        """Past issues as Atom."""
        return IssueFeed(self)(request)


class IssueFeed(Feed):
    """The archive's issues as an Atom feed (Django's syndication framework)."""

    feed_type = Atom1Feed

    def __init__(self, archive: DigestArchivePage):
        super().__init__()
        self.archive = archive

    def title(self):
        return self.archive.title

    def link(self):
        return self.archive.url

    def subtitle(self):
        return str(_("Past issues of the library's current awareness services."))

    def items(self):
        return self.archive.issues()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary_text()

    def item_link(self, item):
        return item.url

    def item_updateddate(self, item):
        return item.last_published_at

    def item_pubdate(self, item):
        return item.first_published_at


class DigestIssuePage(Page):
    """One issue of one service for one period: the email's editorial parts and its web copy."""

    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    period_start = models.DateField(_("first day covered"))
    period_end = models.DateField(_("last day covered"))
    introduction = RichTextField(
        _("editorial introduction"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Shown at the top of the email and the web copy."),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel(
            [FieldPanel("service"), FieldPanel("period_start"), FieldPanel("period_end")]
        ),
        FieldPanel("introduction"),
        InlinePanel("featured_items", label=_("Featured records"), heading=_("Featured records")),
    ]
    parent_page_types = ["currentawareness.DigestArchivePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("digest issue")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period_start"], name="ca_one_issue_per_period"
            )
        ]

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("The last day covered must be on or after the first day.")}
            )

    @staticmethod
    def default_title(service: str, start: datetime.date, end: datetime.date) -> str:
        name = SERVICE_TITLES[Service(service)]
        if service == Service.CASE_REVIEWS:
            return f"{name}: {date_format(start, 'F Y')}"
        return f"{name}: {date_format(start, 'j F')} to {date_format(end, 'j F Y')}"

    def service_title(self) -> str:
        return str(SERVICE_TITLES[Service(self.service)])

    def featured(self) -> list["FeaturedItem"]:
        """The featured records the public may see, in the editor's order."""
        visible = set(
            CatalogueRecord.objects.visible_to(audience_for(None))
            .filter(pk__in=[item.record_id for item in self.featured_items.all()])
            .values_list("pk", flat=True)
        )
        return [item for item in self.featured_items.all() if item.record_id in visible]

    def items(self, links=None):
        return items_for_issue(self.service, self.period_start, self.period_end, links)

    def summary_text(self) -> str:
        count = len(self.items())
        return str(
            _("%(count)s new records, %(start)s to %(end)s.")
            % {
                "count": count,
                "start": date_format(self.period_start, "j F Y"),
                "end": date_format(self.period_end, "j F Y"),
            }
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        links = site_links()
        context["items"] = self.items(links)
        context["featured"] = [
            {"item": item, "url": absolute_url(item.record, links)} for item in self.featured()
        ]
        return context


class FeaturedItem(Orderable):
    """A record the editor puts at the top of an issue, with a note."""

    issue = ParentalKey(DigestIssuePage, on_delete=models.CASCADE, related_name="featured_items")
    record = models.ForeignKey(
        "library.CatalogueRecord",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("record"),
    )
    note = models.CharField(_("why it is featured"), max_length=500, blank=True)

    panels = [FieldPanel("record"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured record")
