"""Catalogue records: one shared base page for every publication, and case reviews on top.

`CatalogueRecord` holds everything records share, so search, the API and exports treat every
type alike; `CaseReview` adds the facts of the national case review repository.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from library import identifiers
from library.models.snippets import Nation

EARLIEST_YEAR = 1800
ABSTRACT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


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


class CatalogueRecordQuerySet(PageQuerySet):
    def visible_to(self, user) -> "CatalogueRecordQuerySet":
        """Live records this user may see: view restrictions hide the rest entirely."""
        return self.live().exclude(hidden_from_q(user))

    def added_since(self, date: datetime.date) -> "CatalogueRecordQuerySet":
        """Records added to the catalogue on or after `date`, newest first."""
        return self.filter(date_added__gte=date).order_by("-date_added", "-pk")


def passed_restriction_ids(user) -> set[int]:
    """Ids of the view restrictions this user passes (password restrictions never pass here)."""
    if user is None or not user.is_authenticated:
        return set()
    group_ids = set(user.groups.values_list("pk", flat=True))
    return {
        restriction.pk
        for restriction in PageViewRestriction.objects.prefetch_related("groups")
        if passes_restriction(restriction, user, group_ids)
    }


def passes_restriction(restriction: PageViewRestriction, user, group_ids: set[int]) -> bool:
    """Whether a logged-in user with these groups passes one restriction."""
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return True
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        return user.is_superuser or bool(group_ids & {g.pk for g in restriction.groups.all()})
    return False


def hidden_from_q(user) -> models.Q:
    """A filter matching pages under a view restriction that this user does not pass."""
    passed = passed_restriction_ids(user)
    hidden = models.Q()
    for restriction in PageViewRestriction.objects.select_related("page").exclude(pk__in=passed):
        hidden |= models.Q(path__startswith=restriction.page.path)
    return hidden if hidden else models.Q(pk__in=[])


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
    url = models.URLField(_("web address"), max_length=500, blank=True)
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
    subjects = ParentalManyToManyField(
        "library.Subject", verbose_name=_("subjects"), blank=True, related_name="records"
    )
    keywords = ClusterTaggableManager(through=RecordKeyword, verbose_name=_("keywords"), blank=True)
    normalised_title = models.CharField(max_length=600, editable=False, db_index=True, default="")

    objects = CatalogueRecordManager()

    search_fields = [*Page.search_fields]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("catalogue record")
        verbose_name_plural = _("catalogue records")

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
        super().save(*args, **kwargs)

    @cached_property
    def contributor_list(self) -> list["RecordContributor"]:
        """Contributors in catalogue order."""
        return list(self.contributors.all())

    def authors_display(self) -> str:
        """Contributors as a citation lists them: "Munro, E. R. and Lushey, C."."""
        names = [str(contributor) for contributor in self.contributor_list]
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]

    def documents_online(self, today: datetime.date | None = None) -> bool:
        """Whether attached documents may still be served (see `online_until`)."""
        if self.online_until is None:
            return True
        return (today or timezone.localdate()) <= self.online_until


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

    class Meta(Orderable.Meta):
        verbose_name = _("contributor")

    def __str__(self):
        if self.is_organisation or not self.given_names:
            return self.family_name
        return f"{self.family_name}, {self.given_names}"

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

    class Meta(Orderable.Meta):
        verbose_name = _("attached document")

    def display_label(self) -> str:
        return self.label or self.document.title


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

    class Meta(Orderable.Meta):
        verbose_name = _("recommendation")
