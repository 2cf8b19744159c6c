"""Catalogue records: one shared base page for every publication, and case reviews on top.

`CatalogueRecord` holds everything records share, so search, the API and exports treat every
type alike; `CaseReview` adds the facts of the national case review repository.
"""

import contextlib
import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from library import identifiers
from library.forms import CaseReviewForm, CatalogueRecordForm
from library.models.snippets import Nation
from library.subject_widgets import SubjectsWidget
from library.visibility import as_audience

EARLIEST_YEAR = 1800
ABSTRACT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
# NSPCC removes electronic copies five years after cataloguing; SHELFMARK_ONLINE_YEARS changes it.
DEFAULT_ONLINE_YEARS = 5
RELATED_RECORDS_LIMIT = 5
RELATED_CANDIDATES = 300


def online_years() -> int:
    """Years a record's documents stay online by default (0 turns the default off)."""
    return int(getattr(settings, "SHELFMARK_ONLINE_YEARS", DEFAULT_ONLINE_YEARS) or 0)


def add_years(date: datetime.date, years: int) -> datetime.date:
    """`date` moved on by whole years; 29 February becomes 28 February in other years."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def latest_allowed_year() -> int:
    """Records may be catalogued ahead of publication, but not beyond next year."""
    return timezone.localdate().year + 1


class RecordType(models.TextChoices):
    BOOK = "book", _("Book")
    REPORT = "report", _("Report")
    JOURNAL_ARTICLE = "journal-article", _("Journal article")
    GUIDANCE = "guidance", _("Guidance")
    RESEARCH = "research", _("Research")
    BRIEFING = "briefing", _("Briefing")
    CASE_REVIEW = "case-review", _("Case review")


class Availability(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_LIBRARY = "in-library", _("In the library")
    ON_REQUEST = "on-request", _("On request")


class ContributorRole(models.TextChoices):
    AUTHOR = "author", _("Author")
    EDITOR = "editor", _("Editor")
    COMPILER = "compiler", _("Compiler")


class ReviewType(models.TextChoices):
    SERIOUS_CASE_REVIEW = "serious-case-review", _("Serious case review")
    CASE_MANAGEMENT_REVIEW = "case-management-review", _("Case management review")
    SIGNIFICANT_CASE_REVIEW = "significant-case-review", _("Significant case review")
    CHILD_PRACTICE_REVIEW = "child-practice-review", _("Child practice review")
    CHILD_SAFEGUARDING_PRACTICE_REVIEW = (
        "child-safeguarding-practice-review",
        _("Child safeguarding practice review"),
    )


class Methodology(models.TextChoices):
    """The model a case review was undertaken with."""

    LEARNING_TOGETHER = "scie-learning-together", _("SCIE Learning Together")
    WELSH_CHILD_PRACTICE_REVIEW = "welsh-child-practice-review", _("Welsh Child Practice Review")
    SILP = "silp", _("Significant Incident Learning Process (SILP)")
    ROOT_CAUSE_ANALYSIS = "root-cause-analysis", _("Root Cause Analysis")
    TRADITIONAL = "traditional", _("Traditional (IMR-based)")
    OTHER = "other", _("Other")


MONTH_CHOICES = [(month, datetime.date(2000, month, 1).strftime("%B")) for month in range(1, 13)]


class AgeBand(models.TextChoices):
    UNDER_ONE = "under-1", _("Under 1 year")
    ONE_TO_FOUR = "1-4", _("1 to 4 years")
    FIVE_TO_TEN = "5-10", _("5 to 10 years")
    ELEVEN_TO_FIFTEEN = "11-15", _("11 to 15 years")
    SIXTEEN_TO_SEVENTEEN = "16-17", _("16 to 17 years")
    NOT_STATED = "not-stated", _("Not stated")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_STATED = "not-stated", _("Not stated")


def contributor_name(family_name: str, given_names: str, is_organisation: bool) -> str:
    """A contributor as the catalogue shows one: "Munro, E. R." or an organisation's name."""
    if is_organisation or not given_names:
        return family_name
    return f"{family_name}, {given_names}"


def join_names(names: list[str]) -> str:
    """Names as a citation lists them: "Munro, E. R., Lushey, C. and Ward, H."."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class CatalogueRecordQuerySet(PageQuerySet):
    def visible_to(self, who) -> "CatalogueRecordQuerySet":
        """Live records the caller may see (`who`: a user, a request or an Audience; see
        library.visibility): view restrictions hide the rest entirely."""
        return self.live().exclude(as_audience(who).hidden_q())

    def added_since(self, date: datetime.date) -> "CatalogueRecordQuerySet":
        """Records added to the catalogue on or after `date`, newest first."""
        return self.filter(date_added__gte=date).order_by("-date_added", "-pk")


CatalogueRecordManager = PageManager.from_queryset(CatalogueRecordQuerySet)


class RecordKeyword(TaggedItemBase):
    """A free keyword on a record (django-taggit)."""

    content_object = ParentalKey(
        "library.CatalogueRecord", on_delete=models.CASCADE, related_name="tagged_keywords"
    )


class CatalogueRecord(Page):
    """A publication in the library catalogue: the base that every record type shares."""

    record_type = models.CharField(
        _("record type"), max_length=30, choices=RecordType.choices, default=RecordType.REPORT
    )
    subtitle = models.CharField(_("subtitle"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    place_of_publication = models.CharField(_("place of publication"), max_length=120, blank=True)
    publication_year = models.PositiveSmallIntegerField(
        _("year of publication"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_YEAR)],
        help_text=_("Four digits, for example 2013."),
    )
    publication_date = models.DateField(
        _("full publication date"),
        null=True,
        blank=True,
        help_text=_("Only when the exact date is known; its year must match the year above."),
    )
    edition = models.CharField(_("edition"), max_length=60, blank=True)
    series = models.CharField(_("series"), max_length=255, blank=True)
    isbn = models.CharField(
        _("ISBN"),
        max_length=13,
        blank=True,
        db_index=True,
        help_text=_("ISBN-10 or ISBN-13; hyphens are removed when saved."),
    )
    issn = models.CharField(_("ISSN"), max_length=9, blank=True, db_index=True)
    doi = models.CharField(
        _("DOI"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("For example 10.1093/bjsw/bcq084; a doi.org address is shortened."),
    )
    web_address = models.URLField(_("web address"), max_length=500, blank=True)
    extent = models.CharField(_("pages or extent"), max_length=60, blank=True)
    journal_title = models.CharField(_("journal title"), max_length=255, blank=True)
    volume = models.CharField(_("volume"), max_length=30, blank=True)
    issue = models.CharField(_("issue"), max_length=30, blank=True)
    page_range = models.CharField(_("page range"), max_length=30, blank=True)
    language = models.CharField(
        _("language"),
        max_length=12,
        default="en",
        help_text=_("A language code such as en, cy (Welsh) or gd (Scottish Gaelic)."),
    )
    nation = models.CharField(_("nation"), max_length=20, choices=Nation.choices, blank=True)
    abstract = RichTextField(_("abstract or annotation"), blank=True, features=ABSTRACT_FEATURES)
    notes = models.TextField(_("notes"), blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.IN_LIBRARY,
    )
    date_added = models.DateField(
        _("date added to the catalogue"),
        default=timezone.localdate,
        db_index=True,
        help_text=_("Drives the New in the Library listing and digest."),
    )
    online_until = models.DateField(
        _("online until"),
        null=True,
        blank=True,
        help_text=_(
            "After this date the attached documents are no longer served; the record stays "
            "findable. Leave empty to keep them online."
        ),
    )
    keep_documents_online = models.BooleanField(
        _("keep documents online permanently"),
        default=False,
        help_text=_(
            "Tick for documents that must stay available. Otherwise, when the date above is "
            "empty, documents are taken offline a set number of years (normally five) after "
            "the record was added."
        ),
    )
    subjects = ParentalManyToManyField(
        "library.Subject", verbose_name=_("subjects"), blank=True, related_name="records"
    )
    keywords = ClusterTaggableManager(through=RecordKeyword, verbose_name=_("keywords"), blank=True)
    normalised_title = models.CharField(max_length=600, editable=False, db_index=True, default="")

    objects = CatalogueRecordManager()

    description_panels = [
        TitleFieldPanel("title"),
        FieldPanel("subtitle"),
        FieldPanel("record_type"),
        InlinePanel("contributors", heading=_("Contributors"), label=_("contributor")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("publisher"), FieldPanel("place_of_publication")]),
                FieldRowPanel([FieldPanel("publication_year"), FieldPanel("publication_date")]),
                FieldRowPanel([FieldPanel("edition"), FieldPanel("series")]),
                FieldRowPanel([FieldPanel("extent"), FieldPanel("language")]),
            ],
            heading=_("Publication"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("journal_title"), FieldPanel("volume")]),
                FieldRowPanel([FieldPanel("issue"), FieldPanel("page_range")]),
            ],
            heading=_("Journal article"),
            classname="journal-article",
            # library/static/library/record-type-fields.js shows it for journal articles only.
            attrs={"data-record-types": RecordType.JOURNAL_ARTICLE.value},
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("isbn"), FieldPanel("issn")]),
                FieldPanel("doi"),
                FieldPanel("web_address"),
            ],
            heading=_("Identifiers"),
        ),
        FieldPanel("nation"),
        FieldPanel("abstract"),
        FieldPanel("notes"),
    ]
    subject_panels = [
        FieldPanel("subjects", widget=SubjectsWidget),
        FieldPanel("keywords"),
    ]
    document_panels = [
        FieldPanel("availability"),
        InlinePanel("attached_documents", heading=_("Documents"), label=_("document")),
        FieldRowPanel([FieldPanel("online_until"), FieldPanel("keep_documents_online")]),
    ]
    publishing_panels = [
        FieldPanel("date_added"),
        *Page.promote_panels,
        *Page.settings_panels,
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(description_panels, heading=_("Description")),
            ObjectList(subject_panels, heading=_("Subjects")),
            ObjectList(document_panels, heading=_("Documents")),
            ObjectList(publishing_panels, heading=_("Publishing")),
        ],
        base_form_class=CatalogueRecordForm,
    )

    # Wagtail's own index serves the admin's page search (the catalogue has its own search).
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("abstract"),
        index.SearchField("notes"),
        index.SearchField("publisher"),
        index.SearchField("journal_title"),
        index.RelatedFields("subjects", [index.SearchField("name")]),
        index.RelatedFields(
            "contributors", [index.SearchField("family_name"), index.SearchField("given_names")]
        ),
        index.RelatedFields("keywords", [index.SearchField("name")]),
        index.FilterField("record_type"),
        index.FilterField("publication_year"),
        index.FilterField("nation"),
        index.FilterField("availability"),
    ]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("catalogue record")
        verbose_name_plural = _("catalogue records")

    @classmethod
    def get_indexed_objects(cls):
        """Records for Wagtail's index, with their subjects fetched one query per chunk."""
        # modelsearch prefetches related fields, but not a ParentalManyToManyField: without
        # this, update_index queries each record's subjects once per indexed text column.
        return super().get_indexed_objects().prefetch_related("subjects")

    def clean(self):
        """Normalise identifiers and check years, with sentences that say what to fix."""
        super().clean()
        errors = {}
        for field, normalise in (
            ("isbn", identifiers.normalise_isbn),
            ("issn", identifiers.normalise_issn),
            ("doi", identifiers.normalise_doi),
        ):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, normalise(value))
                except ValueError as error:
                    errors[field] = str(error)
        if self.publication_year and self.publication_year > latest_allowed_year():
            errors["publication_year"] = _(
                "The year of publication cannot be later than %(year)s."
            ) % {"year": latest_allowed_year()}
        if (
            self.publication_date
            and self.publication_year
            and self.publication_date.year != self.publication_year
        ):
            errors["publication_date"] = _(
                "The full date is in %(date_year)s but the year of publication is %(year)s; "
                "make them agree."
            ) % {"date_year": self.publication_date.year, "year": self.publication_year}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.normalised_title = identifiers.normalise_title(self.title)[:600]
        if self.publication_date and not self.publication_year:
            self.publication_year = self.publication_date.year
        self.apply_default_online_until()
        super().save(*args, **kwargs)

    def apply_default_online_until(self) -> None:
        """Give a record with documents the default "online until" date, unless told not to."""
        years = online_years()
        if self.online_until or self.keep_documents_online or not years:
            return
        if not self.attached_documents.all():
            return
        self.online_until = add_years(self.date_added or timezone.localdate(), years)

    @cached_property
    def contributor_list(self) -> list["RecordContributor"]:
        """Contributors in catalogue order."""
        return list(self.contributors.all())

    @property
    def author_names(self) -> list[str]:
        """Contributors' names in catalogue order: "Munro, E. R.", "NSPCC"."""
        return [str(contributor) for contributor in self.contributor_list]

    def authors_display(self) -> str:
        """Contributors as a citation lists them: "Munro, E. R. and Lushey, C."."""
        return join_names(self.author_names)

    def documents_online(self, today: datetime.date | None = None) -> bool:
        """Whether attached documents may still be served (see `online_until`)."""
        if self.online_until is None:
            return True
        return (today or timezone.localdate()) <= self.online_until

    def documents_removed(self, today: datetime.date | None = None) -> bool:
        """Whether the record has documents that are no longer served (online_until passed)."""
        return not self.documents_online(today) and bool(self.attached_documents.all())

    def related_records(self, user, limit: int = RELATED_RECORDS_LIMIT) -> list["CatalogueRecord"]:
        """Records sharing the most subjects with this one that `user` may see, newest first.

        Ranked among the latest few hundred records sharing any subject, so that a popular
        subject does not mean counting tens of thousands of records on every page view.
        """
        subject_ids = [subject.pk for subject in self.subjects.all()]
        if not subject_ids or self.pk is None:
            return []
        through = CatalogueRecord.subjects.through
        candidates = (
            through.objects.filter(subject_id__in=subject_ids)
            .exclude(cataloguerecord_id=self.pk)
            .order_by("-cataloguerecord_id")
            .values("cataloguerecord_id")[:RELATED_CANDIDATES]
        )
        return list(
            CatalogueRecord.objects.visible_to(user)
            .filter(pk__in=candidates)
            .annotate(
                shared_subjects=models.Count("subjects", filter=models.Q(subjects__in=subject_ids))
            )
            .order_by("-shared_subjects", "-date_added", "-pk")[:limit]
        )

    def language_name(self) -> str:
        """The language in words ("English", "Welsh"); an unknown code as it was typed."""
        code = (self.language or "").strip()
        if not code:
            return ""
        try:
            return get_language_info(code.lower())["name"]
        except KeyError:
            return code

    def field_rows(self) -> list[tuple[str, object]]:
        """(label, value) pairs of every filled-in bibliographic field, in catalogue order.

        Contributors are left out: the page lists them once, with their roles."""
        rows = [
            (_("Record type"), self.get_record_type_display()),
            (_("Title"), self.title),
            (_("Subtitle"), self.subtitle),
            (_("Edition"), self.edition),
            (_("Series"), self.series),
            (_("Publisher"), self.publisher),
            (_("Place of publication"), self.place_of_publication),
            (_("Year of publication"), self.publication_year),
            (_("Publication date"), self.publication_date),
            (_("Journal"), self.journal_title),
            (_("Volume"), self.volume),
            (_("Issue"), self.issue),
            (_("Pages"), self.page_range),
            (_("Extent"), self.extent),
            (_("ISBN"), self.isbn),
            (_("ISSN"), self.issn),
            (_("DOI"), self.doi and format_html('<a href="https://doi.org/{0}">{0}</a>', self.doi)),
            (
                _("Web address"),
                self.web_address and format_html('<a href="{0}">{0}</a>', self.web_address),
            ),
            (_("Language"), self.language_name()),
            (_("Nation"), self.get_nation_display()),
            (_("Availability"), self.get_availability_display()),
            (_("Notes"), self.notes),
            (_("Date added"), self.date_added),
        ]
        return [(label, value) for label, value in rows if value not in (None, "")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_records"] = self.related_records(request.user)
        context["documents_online"] = self.documents_online()
        context["section_url"] = self.get_parent().get_url(request)
        return context

    def possible_duplicates(self) -> list["CatalogueRecord"]:
        """Other records that may describe the same publication (see find_possible_duplicates)."""
        return find_possible_duplicates(self)


def find_possible_duplicates(record: CatalogueRecord, limit: int = 10) -> list[CatalogueRecord]:
    """Other records with the same ISBN (either form), DOI, or normalised title and year.

    Drafts count too: a librarian should know about a record a colleague has not yet published.
    """
    matches = models.Q()
    if record.isbn:
        isbns = {record.isbn}
        with contextlib.suppress(ValueError):
            isbns.add(identifiers.isbn_to_13(identifiers.normalise_isbn(record.isbn)))
        isbns |= {identifiers.isbn_to_10(isbn) for isbn in list(isbns)} - {""}
        matches |= models.Q(isbn__in=isbns)
    if record.doi:
        matches |= models.Q(doi=record.doi.lower())
    title = identifiers.normalise_title(record.title)[:600]
    if title and record.publication_year:
        matches |= models.Q(normalised_title=title, publication_year=record.publication_year)
    if not matches:
        return []
    others = CatalogueRecord.objects.filter(matches)
    if record.pk is not None:
        others = others.exclude(pk=record.pk)
    return list(others.order_by("pk")[:limit])


class RecordContributor(Orderable):
    """A person or organisation credited on a record, in order, with a role."""

    record = ParentalKey(CatalogueRecord, on_delete=models.CASCADE, related_name="contributors")
    family_name = models.CharField(
        _("family name or organisation"),
        max_length=255,
        help_text=_("A person's family name, or the full name of an organisation."),
    )
    given_names = models.CharField(
        _("given names or initials"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for an organisation."),
    )
    is_organisation = models.BooleanField(_("organisation"), default=False)
    role = models.CharField(
        _("role"), max_length=20, choices=ContributorRole.choices, default=ContributorRole.AUTHOR
    )

    panels = [
        FieldRowPanel([FieldPanel("family_name"), FieldPanel("given_names")]),
        FieldRowPanel([FieldPanel("is_organisation"), FieldPanel("role")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("contributor")

    def __str__(self):
        return contributor_name(self.family_name, self.given_names, self.is_organisation)

    def clean(self):
        if self.is_organisation and self.given_names:
            raise ValidationError(
                {"given_names": _("An organisation has no given names; leave this empty.")}
            )


class DocumentKind(models.TextChoices):
    FULL_REPORT = "full-report", _("Full report")
    EXECUTIVE_SUMMARY = "executive-summary", _("Executive summary")
    BRIEFING = "briefing", _("Briefing")
    OTHER = "other", _("Other document")


class RecordDocument(Orderable):
    """A file attached to a record, such as the full report or its executive summary."""

    record = ParentalKey(
        CatalogueRecord, on_delete=models.CASCADE, related_name="attached_documents"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=DocumentKind.choices, default=DocumentKind.FULL_REPORT
    )
    label = models.CharField(
        _("label"),
        max_length=255,
        blank=True,
        help_text=_("Shown as the link text; the document's title is used if empty."),
    )

    panels = [FieldPanel("document"), FieldRowPanel([FieldPanel("kind"), FieldPanel("label")])]

    class Meta(Orderable.Meta):
        verbose_name = _("attached document")

    def display_label(self) -> str:
        return self.label or self.document.title

    def file_type(self) -> str:
        """The file's extension in capitals, such as PDF."""
        return self.document.file_extension.upper()

    def file_size(self) -> int | None:
        """The file's size in bytes, or None when the storage cannot tell."""
        try:
            return self.document.get_file_size()
        except OSError:
            return None


def _is_type(panel) -> bool:
    """Whether a panel edits the record type, which a case review fixes for itself."""
    return getattr(panel, "field_name", None) == "record_type"


def _is_journal_panel(panel) -> bool:
    """Whether a panel groups the journal article fields, which a case review never has."""
    return "journal-article" in (getattr(panel, "classname", "") or "")


class CaseReview(CatalogueRecord):
    """A review that followed the death or serious injury of a child."""

    review_type = models.CharField(_("review type"), max_length=40, choices=ReviewType.choices)
    board = models.ForeignKey(
        "library.Board",
        verbose_name=_("safeguarding board or partnership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_reviews",
    )
    incident_year = models.PositiveSmallIntegerField(
        _("year of the incident"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(2100)],
    )
    child_age_band = models.CharField(
        _("child's age"), max_length=20, choices=AgeBand.choices, default=AgeBand.NOT_STATED
    )
    child_gender = models.CharField(
        _("child's gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_STATED
    )
    themes = ParentalManyToManyField(
        "library.Subject", verbose_name=_("themes"), blank=True, related_name="case_reviews"
    )
    agencies = ParentalManyToManyField(
        "library.Agency",
        verbose_name=_("agencies involved"),
        blank=True,
        related_name="case_reviews",
    )
    child_pseudonym = models.CharField(
        _("child's pseudonym"),
        max_length=120,
        blank=True,
        help_text=_('The name the review gives the child, such as "Child X" or "Baby L".'),
    )
    circumstances = models.CharField(
        _("what happened"),
        max_length=500,
        blank=True,
        help_text=_(
            "One sentence: the child's age, and the death or serious injury and its cause."
        ),
    )
    background = models.TextField(
        _("background"), blank=True, help_text=_("A paragraph on the family and services.")
    )
    methodology = models.CharField(
        _("review model"), max_length=40, choices=Methodology.choices, blank=True
    )
    publication_month = models.PositiveSmallIntegerField(
        _("month of publication"), null=True, blank=True, choices=MONTH_CHOICES
    )

    case_review_panels = [
        FieldPanel("review_type"),
        FieldPanel("board"),
        FieldRowPanel([FieldPanel("publication_month"), FieldPanel("methodology")]),
        FieldRowPanel([FieldPanel("incident_year"), FieldPanel("child_age_band")]),
        FieldRowPanel([FieldPanel("child_pseudonym"), FieldPanel("child_gender")]),
        FieldPanel("circumstances"),
        FieldPanel("background"),
        InlinePanel("learning_points", heading=_("Learning"), label=_("learning point")),
        FieldPanel("themes", widget=SubjectsWidget),
        FieldPanel("agencies", widget=forms.CheckboxSelectMultiple),
        InlinePanel("recommendations", heading=_("Recommendations"), label=_("recommendation")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    panel
                    for panel in CatalogueRecord.description_panels
                    if not _is_type(panel) and not _is_journal_panel(panel)
                ],
                heading=_("Description"),
            ),
            ObjectList(CatalogueRecord.subject_panels, heading=_("Subjects")),
            ObjectList(CatalogueRecord.document_panels, heading=_("Documents")),
            ObjectList(case_review_panels, heading=_("Case review")),
            ObjectList(CatalogueRecord.publishing_panels, heading=_("Publishing")),
        ],
        base_form_class=CaseReviewForm,
    )

    parent_page_types = ["library.CaseReviewIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")

    def clean(self):
        self.record_type = RecordType.CASE_REVIEW
        super().clean()
        if (
            self.incident_year
            and self.publication_year
            and self.incident_year > self.publication_year
        ):
            raise ValidationError(
                {
                    "incident_year": _(
                        "The incident cannot be later than the review's publication in "
                        "%(year)s; check both years."
                    )
                    % {"year": self.publication_year}
                }
            )

    def save(self, *args, **kwargs):
        self.record_type = RecordType.CASE_REVIEW
        super().save(*args, **kwargs)

    def published_display(self) -> str:
        """ "March 2016", or the year alone when the month is not known ("" when neither is)."""
        if not self.publication_year:
            return ""
        if self.publication_month:
            return f"{self.get_publication_month_display()} {self.publication_year}"
        return str(self.publication_year)

    def documents_of_kind(self, kind: str) -> list["RecordDocument"]:
        """Attached documents of one kind (`DocumentKind`), in order."""
        return [item for item in self.attached_documents.all() if item.kind == kind]

    def overview_report(self) -> "RecordDocument | None":
        """The full overview report, or failing that the executive summary."""
        found = self.documents_of_kind(DocumentKind.FULL_REPORT) or self.documents_of_kind(
            DocumentKind.EXECUTIVE_SUMMARY
        )
        return found[0] if found else None

    def field_rows(self) -> list[tuple[str, object]]:
        """The bibliographic rows, less the nation, and less the year when the month of
        publication is known: "About the review" shows them ("March 2016")."""
        shown_about = {str(_("Nation"))}
        if self.publication_month:
            shown_about.add(str(_("Year of publication")))
        return [(label, value) for label, value in super().field_rows() if label not in shown_about]

    def case_rows(self) -> list[tuple[str, object]]:
        """(label, value) pairs of the case review's facts that are filled in (the year of
        publication is among the details, once)."""
        rows = [
            (_("Review type"), self.get_review_type_display()),
            (_("Published"), self.published_display() if self.publication_month else ""),
            (_("Review model"), self.get_methodology_display()),
            (_("Nation"), self.get_nation_display()),
            (_("Safeguarding board or partnership"), self.board),
            (_("Year of the incident"), self.incident_year),
            (_("Child's age"), self.get_child_age_band_display()),
            (_("Child's gender"), self.get_child_gender_display()),
            (_("Agencies involved"), ", ".join(str(agency) for agency in self.agencies.all())),
        ]
        return [(label, value) for label, value in rows if value not in (None, "")]


class LearningPoint(Orderable):
    """One point of learning a case review draws, in the review's order."""

    review = ParentalKey(CaseReview, on_delete=models.CASCADE, related_name="learning_points")
    text = models.TextField(_("learning point"))

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("learning point")

    def __str__(self):
        return self.text


class Recommendation(Orderable):
    """One recommendation made by a case review."""

    review = ParentalKey(CaseReview, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    agency = models.ForeignKey(
        "library.Agency",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("text"), FieldPanel("agency")]

    class Meta(Orderable.Meta):
        verbose_name = _("recommendation")
