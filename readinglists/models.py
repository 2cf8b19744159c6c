"""Reading lists: annotated lists of publications on a practice topic, and their link checks."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.rich_text import RichText
from wagtail.search import index

from library.models import CatalogueRecord, Subject
from library.subject_widgets import SubjectsWidget
from library.visibility import visible_pages
from readinglists.blocks import (
    ANNOTATION_FEATURES,
    INTRODUCTION_FEATURES,
    SectionStreamBlock,
    SeeAlsoStreamBlock,
)
from readinglists.entries import (
    HiddenEntry,
    ListEntry,
    ListSection,
    RichTextCleaner,
    citation_entry,
    hidden_reason,
    record_entry,
    safe_url,
)
from readinglists.exports import (
    EXPORT_FORMATS,
    RECORDS_ONLY,
    bibliography_context,
    export_list,
)
from readinglists.forms import COMPILED_INVALID, ReadingListPageForm, parse_month_year
from readinglists.panels import ListHealthPanel

HREF_PATTERN = re.compile(r"""href=["'](https?://[^"'\s]+)["']""", re.IGNORECASE)


def add_months(date: datetime.date, months: int) -> datetime.date:
    """`date` moved on by whole months, keeping the day where the month allows."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return date.replace(
        year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1])
    )


class ReadingListIndexPage(Page):
    """The reading lists' home: every list, by topic and newest first."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["readinglists.ReadingListPage"]

    class Meta:
        verbose_name = _("reading lists home")

    def lists_for(self, user) -> PageQuerySet:
        """Published lists below this page that `user` may see, newest first."""
        return (
            visible_pages(ReadingListPage.objects.child_of(self), user)
            .order_by("-compiled", "title")
            .prefetch_related("topics")
        )

    def clean(self):
        super().clean()
        self.sanitise_content()

    def save(self, *args, **kwargs):
        self.sanitise_content()
        super().save(*args, **kwargs)

    def sanitise_content(self) -> None:
        """Reduce the introduction to what the admin editor would allow."""
        cleaner = RichTextCleaner()
        features = self._meta.get_field("introduction").features
        self.introduction = cleaner.clean(
            self.introduction, features, "introduction", _("introduction")
        )
        cleaner.raise_errors()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lists = list(self.lists_for(request.user))
        topics = sorted(
            {topic for reading_list in lists for topic in reading_list.topics.all()}, key=str
        )
        chosen_slug = request.GET.get("topic", "").strip()
        chosen = next((topic for topic in topics if topic.slug == chosen_slug), None)
        if chosen_slug and chosen is None:
            context["topic_message"] = _(
                "There are no reading lists on the topic “%(topic)s”; all lists are shown below."
            ) % {"topic": chosen_slug[:100]}
        shown_topics = [chosen] if chosen else topics
        context["lists"] = [
            reading_list
            for reading_list in lists
            if chosen is None or chosen in reading_list.topics.all()
        ]
        context["topics"] = topics
        context["chosen_topic"] = chosen
        context["lists_by_topic"] = [
            (topic, [rl for rl in lists if topic in rl.topics.all()]) for topic in shown_topics
        ]
        context["lists_without_topic"] = (
            [rl for rl in lists if not rl.topics.all()] if chosen is None else []
        )
        return context


class ReadingListPageQuerySet(PageQuerySet):
    def due_for_review(self, today: datetime.date | None = None) -> ReadingListPageQuerySet:
        """Lists whose review date has come, or that have no review date at all."""
        today = today or timezone.localdate()
        return self.filter(models.Q(review_due__lte=today) | models.Q(review_due__isnull=True))


ReadingListPageManager = PageManager.from_queryset(ReadingListPageQuerySet)


class ReadingListPage(RoutablePageMixin, Page):
    """An annotated reading list: introduction, ordered sections of entries, see also."""

    compiled = models.DateField(
        _("compiled"),
        help_text=_("Only the month and year are shown, for example November 2013."),
    )
    compiler = models.CharField(
        _("compiled by"),
        max_length=200,
        blank=True,
        help_text=_("For example the Information Service."),
    )
    topics = ParentalManyToManyField(
        Subject, verbose_name=_("topics"), blank=True, related_name="reading_lists"
    )
    introduction = RichTextField(_("introduction"), blank=True, features=INTRODUCTION_FEATURES)
    sections = StreamField(SectionStreamBlock(), blank=True, verbose_name=_("sections"))
    see_also = StreamField(
        SeeAlsoStreamBlock(),
        blank=True,
        verbose_name=_("see also"),
        help_text=_("Related pages and references shown after the sections."),
    )
    closing_note = RichTextField(
        _("closing note"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("For example how to contact the Information Service."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    review_due = models.DateField(_("review due"), null=True, editable=False, db_index=True)

    objects = ReadingListPageManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("compiled"),
                FieldPanel("compiler"),
                FieldPanel("topics", widget=SubjectsWidget),
            ],
            heading=_("About this list"),
        ),
        FieldPanel("introduction"),
        FieldPanel("sections"),
        FieldPanel("see_also"),
        FieldPanel("closing_note"),
    ]
    review_panels = [
        FieldPanel("last_reviewed"),
        FieldPanel("review_interval_months"),
        ListHealthPanel(heading=_("Links and hidden entries")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(review_panels, heading=_("Review")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ],
        base_form_class=ReadingListPageForm,
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("compiler"),
    ]
    parent_page_types = ["readinglists.ReadingListIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("reading list")
        verbose_name_plural = _("reading lists")

    def save(self, *args, **kwargs):
        if isinstance(self.compiled, str):
            try:
                self.compiled = parse_month_year(self.compiled)
            except ValueError as error:
                raise ValidationError({"compiled": COMPILED_INVALID}) from error
        if self.compiled:
            self.compiled = self.compiled.replace(day=1)
        self.review_due = self.next_review_date()
        self.sanitise_content()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.sanitise_content()

    def next_review_date(self) -> datetime.date | None:
        """The date the list falls due: the interval after its last review, or after it was
        first published (or today, for a draft) when it has not been reviewed. When it was
        compiled says nothing about when it was last checked."""
        if self.last_reviewed:
            reference = self.last_reviewed
        elif self.first_published_at:
            reference = timezone.localdate(self.first_published_at)
        else:
            reference = timezone.localdate()
        return add_months(reference, self.review_interval_months or 12)

    def sanitise_content(self) -> None:
        """Reduce every rich-text field, section introduction and annotation to what the admin
        editor would allow, and drop entry and link addresses it would refuse (javascript:).

        Runs on every save, whatever wrote the list (editor, shell, import, API); raises
        ValidationError, by field, for text the editor could not read."""
        cleaner = RichTextCleaner()
        for name, where in (
            ("introduction", _("introduction")),
            ("closing_note", _("closing note")),
        ):
            features = self._meta.get_field(name).features
            setattr(self, name, cleaner.clean(getattr(self, name), features, name, where))
        for section in self.sections:
            heading = section.value["heading"]
            introduction = section.value["introduction"]
            if introduction is not None:
                where = _("introduction of the section “%(heading)s”") % {"heading": heading}
                section.value["introduction"] = RichText(
                    cleaner.clean(introduction.source, INTRODUCTION_FEATURES, "sections", where)
                )
            for entry in section.value["entries"]:
                self._sanitise_entry(cleaner, "sections", heading, entry.block_type, entry.value)
        for block in self.see_also:
            if block.block_type == "link":
                block.value["url"] = safe_url(block.value.get("url"))
            else:
                place = str(_("See also"))
                self._sanitise_entry(cleaner, "see_also", place, block.block_type, block.value)
        cleaner.raise_errors()

    @staticmethod
    def _sanitise_entry(cleaner: RichTextCleaner, field: str, place: str, kind: str, value):
        annotation = value.get("annotation")
        if annotation is not None:
            title = value["title"] if kind == "citation" else getattr(value["record"], "title", "")
            where = _("annotation of “%(title)s” in “%(place)s”") % {"title": title, "place": place}
            value["annotation"] = RichText(
                cleaner.clean(annotation.source, ANNOTATION_FEATURES, field, where)
            )
        if kind == "citation":
            value["url"] = safe_url(value.get("url"))

    # Entries, in reading order ------------------------------------------------------------

    def stored_entries(self) -> Iterator[tuple[str, str, str, Any]]:
        """(where, block id, kind, stored value) for every entry, sections then see also."""
        for section in self.sections:
            for entry in section.value["entries"]:
                yield section.value["heading"], entry.id, entry.block_type, entry.value
        for block in self.see_also:
            if block.block_type in ("record", "citation"):
                yield str(_("See also")), block.id, block.block_type, block.value

    def chosen_record_ids(self) -> set[int]:
        """Ids of the catalogue records this list's entries point at."""
        return {
            value["record"].pk
            for _place, _id, kind, value in self.stored_entries()
            if kind == "record" and value["record"] is not None
        }

    def visible_records(self, user) -> dict[int, CatalogueRecord]:
        """The chosen records `user` may see, by id, with what citations need loaded."""
        records = (
            CatalogueRecord.objects.visible_to(user)
            .filter(pk__in=self.chosen_record_ids())
            .prefetch_related("contributors", "attached_documents__document")
        )
        return {record.pk: record for record in records}

    def _resolve(self, block_id: str, kind: str, value, records) -> ListEntry | None:
        if kind == "citation":
            return citation_entry(block_id, value)
        chosen = value["record"]
        record = records.get(chosen.pk) if chosen is not None else None
        return record_entry(block_id, value, record) if record is not None else None

    def sections_for(self, user) -> list[ListSection]:
        """The sections in order, each with only the entries `user` may see."""
        records = self.visible_records(user)
        sections = []
        for section in self.sections:
            entries = [
                self._resolve(entry.id, entry.block_type, entry.value, records)
                for entry in section.value["entries"]
            ]
            introduction = section.value["introduction"]
            sections.append(
                ListSection(
                    id=section.id,
                    heading=section.value["heading"],
                    introduction=introduction if introduction and introduction.source else None,
                    entries=[entry for entry in entries if entry is not None],
                )
            )
        return sections

    def see_also_for(self, user) -> list[tuple[str, Any]]:
        """See-also items in order: ("link", a LinkBlock value) or ("entry", a ListEntry)."""
        records = self.visible_records(user)
        items: list[tuple[str, Any]] = []
        for block in self.see_also:
            if block.block_type == "link":
                items.append(("link", block.value))
                continue
            entry = self._resolve(block.id, block.block_type, block.value, records)
            if entry is not None:
                items.append(("entry", entry))
        return items

    def entries_for(self, user) -> list[ListEntry]:
        """Every entry `user` may see, in reading order: the sections', then see also's."""
        entries = [entry for section in self.sections_for(user) for entry in section.entries]
        entries += [value for kind, value in self.see_also_for(user) if kind == "entry"]
        return entries

    def csl_items_for(self, user) -> list[dict[str, Any]]:
        """CSL-JSON items for the entries `user` may see, in reading order."""
        return [entry.to_csl() for entry in self.entries_for(user)]

    def hidden_entries(self) -> list[HiddenEntry]:
        """Entries the public cannot see (record unpublished, restricted or deleted)."""
        ids = self.chosen_record_ids()
        live_ids = set(
            CatalogueRecord.objects.live().filter(pk__in=ids).values_list("pk", flat=True)
        )
        public_ids = set(self.visible_records(AnonymousUser()))
        hidden = []
        for place, _id, kind, value in self.stored_entries():
            if kind != "record":
                continue
            chosen = value["record"]
            reason = hidden_reason(chosen.pk if chosen else None, live_ids, public_ids)
            if reason:
                title = chosen.title if chosen else str(_("(deleted record)"))
                hidden.append(HiddenEntry(place=place, title=title, reason=reason, record=chosen))
        return hidden

    # Links --------------------------------------------------------------------------------

    def external_urls(self) -> set[str]:
        """Every http(s) address the list itself links to: entries, see also, rich text."""
        urls = set()
        for _place, _id, kind, value in self.stored_entries():
            if kind == "citation" and value.get("url"):
                urls.add(value["url"])
            annotation = value.get("annotation")
            if annotation is not None:
                urls.update(HREF_PATTERN.findall(annotation.source))
        for block in self.see_also:
            if block.block_type == "link" and block.value.get("url"):
                urls.add(block.value["url"])
        for section in self.sections:
            introduction = section.value["introduction"]
            if introduction is not None:
                urls.update(HREF_PATTERN.findall(introduction.source))
        for text in (self.introduction, self.closing_note):
            urls.update(HREF_PATTERN.findall(text or ""))
        return {url for url in urls if url.startswith(("http://", "https://"))}

    def broken_links(self):
        """Link checks that have failed repeatedly for addresses this list links to."""
        return LinkCheck.objects.broken().filter(url__in=self.external_urls()).order_by("url")

    # Views --------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.sections_for(request.user)
        context["see_also_items"] = self.see_also_for(request.user)
        page_url = self.get_url(request) or ""
        context["page_url"] = page_url
        context["full_url"] = self.get_full_url(request)
        context["print_url"] = page_url + self.reverse_subpage("print_view")
        context["bibliography_url"] = page_url + self.reverse_subpage("bibliography_view")
        context["export_links"] = self.export_links(page_url)
        index_url = self.get_parent().get_url(request) or ""
        context["topic_links"] = [
            (topic, f"{index_url}?{urlencode({'topic': topic.slug})}")
            for topic in self.topics.all()
        ]
        if getattr(request, "is_preview", False):
            context["hidden_entries"] = self.hidden_entries()
        return context

    def export_links(self, page_url: str) -> list[tuple[str, str]]:
        """(label, address) for each download format of this list."""
        return [
            (label, page_url + self.reverse_subpage("export_view", args=[segment]))
            for segment, (_name, label) in EXPORT_FORMATS.items()
        ]

    @path("")
    def list_view(self, request):
        """The list as readers see it."""
        return self.render(request)

    @path("print/")
    def print_view(self, request):
        """The list laid out for paper: no navigation, full addresses, one column."""
        return self.render(request, template="readinglists/reading_list_page_print.html")

    @path("export/<slug:format_name>/")
    def export_view(self, request, format_name):
        """The whole list as RIS, BibTeX or CSL-JSON (or its catalogued entries as MARCXML or
        Dublin Core), as a download."""
        if format_name not in EXPORT_FORMATS:
            raise Http404(_("There is no export format called %(name)s.") % {"name": format_name})
        if format_name in RECORDS_ONLY:
            entries = self.entries_for(request.user)
            items = [entry.record for entry in entries if entry.record is not None]
        else:
            items = self.csl_items_for(request.user)
        exported = export_list(self.title, items, format_name)
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response

    @path("bibliography/")
    def bibliography_view(self, request):
        """The list as a formatted bibliography in a citation style the reader chooses."""
        context = self.get_context(request)
        style_name = request.GET.get("style", "")
        context.update(bibliography_context(self.csl_items_for(request.user), style_name))
        return TemplateResponse(request, "readinglists/bibliography.html", context)


class LinkCheckQuerySet(models.QuerySet):
    def broken(self) -> LinkCheckQuerySet:
        """Addresses that have failed often enough in a row to warn about."""
        return self.filter(consecutive_failures__gte=LinkCheck.BROKEN_AFTER_FAILURES)


class LinkCheck(models.Model):
    """The latest check of one external address, kept so one bad day is not a warning."""

    BROKEN_AFTER_FAILURES = 3

    url = models.URLField(_("address"), max_length=1000, unique=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_checked = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_ok = models.DateTimeField(_("last worked"), null=True, blank=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")

    def __str__(self):
        return self.url

    @property
    def is_broken(self) -> bool:
        return self.consecutive_failures >= self.BROKEN_AFTER_FAILURES

    def problem(self) -> str:
        """What went wrong last time, in words: "HTTP 404" or the connection error."""
        if self.last_status and self.last_status >= 400:
            return f"HTTP {self.last_status}"
        return self.last_error or str(_("no answer"))
