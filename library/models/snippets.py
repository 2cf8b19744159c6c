"""Controlled vocabularies: the subject thesaurus, safeguarding boards and agencies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")


def split_terms(text: str) -> list[str]:
    """Terms entered one per line (or separated by semicolons), stripped, blanks dropped."""
    return [
        term.strip()
        for line in (text or "").splitlines()
        for term in line.split(";")
        if term.strip()
    ]


class SubjectQuerySet(models.QuerySet):
    def with_narrower(self, subject_ids) -> set[int]:
        """The given subject ids and every narrower term below them, at any depth."""
        parents = dict(self.model.objects.values_list("pk", "broader_id"))
        children: dict[int, list[int]] = {}
        for pk, broader_id in parents.items():
            if broader_id is not None:
                children.setdefault(broader_id, []).append(pk)
        found: set[int] = set()
        stack = [int(pk) for pk in subject_ids]
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found.add(pk)
            stack.extend(children.get(pk, []))
        return found


class Subject(index.Indexed, ClusterableModel):
    """A preferred term in the thesaurus, with its non-preferred terms and relations."""

    name = models.CharField(_("preferred term"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, blank=True)
    use_for = models.TextField(
        _("use for"),
        blank=True,
        help_text=_(
            "Non-preferred terms and abbreviations that mean this subject, one per line "
            "(for example CSE). Searches for them find this subject's records."
        ),
    )
    scope_note = models.TextField(_("scope note"), blank=True)
    broader = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrower",
    )
    related = ParentalManyToManyField("self", verbose_name=_("related terms"), blank=True)

    objects = SubjectQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("use_for"),
        FieldPanel("broader"),
        FieldPanel("related"),
        FieldPanel("scope_note"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("use_for"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self):
        return self.name

    def clean(self):
        """Refuse a broader term that would make the hierarchy loop back on itself."""
        ancestor = self.broader
        seen = set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"broader": _("A subject cannot sit below itself; choose another term.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.broader

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:140]
        super().save(*args, **kwargs)

    def use_for_terms(self) -> list[str]:
        """The non-preferred terms, one string each."""
        return split_terms(self.use_for)


class Board(index.Indexed, models.Model):
    """A local safeguarding children board or partnership; boards merge and are renamed."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    nation = models.CharField(_("nation"), max_length=20, choices=Nation.choices)
    former_names = models.TextField(
        _("former names"),
        blank=True,
        help_text=_("Earlier names of this board, one per line. They stay searchable."),
    )
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("nation"),
        FieldPanel("former_names"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("former_names"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("safeguarding board or partnership")
        verbose_name_plural = _("safeguarding boards and partnerships")

    def __str__(self):
        return self.name

    def former_name_list(self) -> list[str]:
        """Earlier names, one string each."""
        return split_terms(self.former_names)


class Agency(models.Model):
    """An agency that can be involved in a case review (police, health visiting, school...)."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name
