"""Admin views: the staleness report of thematic briefings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from learning.models import ThematicBriefingPage, all_added_since


class BriefingStalenessView(ReportView):
    """Briefings with the number of reviews on their theme added since they were last
    reviewed, most out of date first."""

    page_title = _("Thematic briefings going stale")
    header_icon = "doc-full"
    model = ThematicBriefingPage
    any_permission_required = ["add", "change", "publish"]
    index_url_name = "learning_staleness_report"
    index_results_url_name = "learning_staleness_report_results"
    columns = [
        TitleColumn(
            "title",
            label=_("Briefing"),
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("theme", label=_("Theme")),
        DateColumn("last_reviewed", label=_("Last reviewed")),
        Column("added_since", label=_("Case reviews added since")),
    ]
    list_export = ["title", "theme", "last_reviewed", "added_since"]
    export_headings = {
        "title": _("Briefing"),
        "theme": _("Theme"),
        "last_reviewed": _("Last reviewed"),
        "added_since": _("Case reviews added since"),
    }

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return (
            ThematicBriefingPage.objects.filter(pk__in=editable.values("pk"))
            .select_related("theme")
            .order_by("last_reviewed", "title")
        )

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.added_since = all_added_since(page)
        return object_list
