"""Choosing many subjects from a thesaurus of thousands of terms: `SubjectsWidget`, for a
record's subjects and a case review's themes.

It lists only the terms chosen, each a ticked box to untick, and a box to add terms: type
preferred or "use for" terms separated by semicolons (works without JavaScript), or pick from the
suggestions shown as you type (`library.subject_chooser.subject_suggestions`).
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from library.models.snippets import Subject, split_terms

SUGGESTION_LIMIT = 15
ADD_SUFFIX = "__add"


def subject_label(subject: Subject) -> str:
    """ "Emotional neglect (under Neglect)": a term with its place in the hierarchy."""
    if subject.broader_id is not None and subject.broader is not None:
        return f"{subject.name} ({_('under')} {subject.broader.name})"
    return subject.name


def find_subject(term: str) -> Subject | None:
    """The subject whose preferred term, or one of whose "use for" terms, is `term` (any case)."""
    term = " ".join(term.split())
    found = Subject.objects.filter(name__iexact=term).first()
    if found is not None:
        return found
    for candidate in Subject.objects.filter(use_for__icontains=term)[:50]:
        if any(other.lower() == term.lower() for other in candidate.use_for_terms()):
            return candidate
    return None


def suggest_subjects(query: str, limit: int = SUGGESTION_LIMIT) -> list[Subject]:
    """Subjects whose preferred or "use for" terms start with (or contain) the words typed."""
    query = " ".join(query.split())[:120]
    if not query:
        return []
    starts = Q(name__istartswith=query) | Q(use_for__istartswith=query)
    contains = Q(name__icontains=query) | Q(use_for__icontains=query)
    found = list(Subject.objects.filter(starts).select_related("broader")[:limit])
    if len(found) < limit:
        seen = {subject.pk for subject in found}
        found += list(
            Subject.objects.filter(contains)
            .exclude(pk__in=seen)
            .select_related("broader")[: limit - len(found)]
        )
    return found


class SubjectsWidget(forms.SelectMultiple):
    """The chosen subjects as ticked boxes, and a box to add more by typing terms."""

    template_name = "library/widgets/subjects.html"

    class Media:
        js = ["library/subjects-widget.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [int(pk) for pk in (value or []) if str(pk).isdigit()]
        context["chosen"] = [
            (subject.pk, subject_label(subject))
            for subject in Subject.objects.filter(pk__in=chosen).select_related("broader")
        ]
        context["add_name"] = name + ADD_SUFFIX
        context["suggestions_url"] = reverse("library_subject_suggestions")
        context["browse_url"] = reverse("subject_chooser:choose")
        return context

    def optgroups(self, name, value, attrs=None):
        # Only the chosen terms are drawn (see get_context); never thousands of options.
        return []

    def value_from_datadict(self, data, files, name):
        """The ticked ids, plus the subject of each typed term; a term that names no subject is
        passed on as typed, so the field refuses it with a message naming it."""
        values = list(data.getlist(name)) if hasattr(data, "getlist") else list(data.get(name, []))
        for term in split_terms(data.get(name + ADD_SUFFIX, "")):
            subject = find_subject(term)
            values.append(str(subject.pk) if subject else term)
        return list(dict.fromkeys(values))

    def value_omitted_from_data(self, data, files, name):
        return False


UNKNOWN_TERM = _(
    "No subject is called “%(pk)s”. Check the spelling, or type a few letters and choose "
    "from the suggestions."
)
