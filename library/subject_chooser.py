"""The subject chooser of the editor: Wagtail's chooser modal for the thesaurus (searchable,
each term with its broader term and how many narrower ones it has), used for single choices such
as a briefing's theme and to browse from the subjects box; and the suggestions the subjects box
(`library.subject_widgets.SubjectsWidget`) shows as an editor types.
"""

from django.db.models import Count
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from library.models.snippets import Subject
from library.subject_widgets import subject_label, suggest_subjects


class HierarchyColumns:
    """Each term with its broader term and the number of its narrower terms."""

    @property
    def columns(self):
        return [
            self.title_column,
            Column("broader", label=_("Broader term")),
            Column("narrower_count", label=_("Narrower terms")),
        ]


class SubjectChooseView(HierarchyColumns, ChooseView):
    pass


class SubjectChooseResultsView(HierarchyColumns, ChooseResultsView):
    pass


class SubjectChooserViewSet(ChooserViewSet):
    model = Subject
    icon = "tag"
    choose_one_text = _("Choose a subject")
    choose_another_text = _("Choose another subject")
    edit_item_text = _("Edit this subject")
    url_prefix = "subject-chooser"
    per_page = 30
    choose_view_class = SubjectChooseView
    choose_results_view_class = SubjectChooseResultsView

    def get_object_list(self):
        return Subject.objects.select_related("broader").annotate(narrower_count=Count("narrower"))


subject_chooser_viewset = SubjectChooserViewSet("subject_chooser")
SubjectChooserWidget = subject_chooser_viewset.widget_class


@require_admin_access
def subject_suggestions(request):
    """Suggestions for the subjects box: [{"id", "name", "label"}] for `?q=`."""
    return JsonResponse(
        {
            "results": [
                {"id": subject.pk, "name": subject.name, "label": subject_label(subject)}
                for subject in suggest_subjects(request.GET.get("q", ""))
            ]
        }
    )
