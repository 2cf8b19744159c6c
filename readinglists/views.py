"""Admin views: the report of reading lists due for review."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from readinglists.models import ReadingListPage


class ListsDueForReviewView(ReportView):
    """Lists whose review date has come, with their broken links and hidden entries."""

    page_title = _("Reading lists due for review")
    header_icon = "list-ul"
    model = ReadingListPage
    any_permission_required = ["add", "change", "publish"]
    index_url_name = "readinglists_review_report"
    index_results_url_name = "readinglists_review_report_results"
    columns = [
        TitleColumn(
            "title",
            label=_("Reading list"),
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("compiler", label=_("Compiled by")),
        DateColumn("last_reviewed", label=_("Last reviewed")),
        DateColumn("review_due", label=_("Review due")),
        Column("broken_link_count", label=_("Broken links")),
        Column("hidden_entry_count", label=_("Entries hidden from the public")),
    ]
    list_export = [
        "title",
        "compiler",
        "last_reviewed",
        "review_due",
        "broken_link_count",
        "hidden_entry_count",
    ]
    export_headings = {
        "title": _("Reading list"),
        "compiler": _("Compiled by"),
        "last_reviewed": _("Last reviewed"),
        "review_due": _("Review due"),
        "broken_link_count": _("Broken links"),
        "hidden_entry_count": _("Entries hidden from the public"),
    }

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return (
            ReadingListPage.objects.filter(pk__in=editable.values("pk"))
            .due_for_review(timezone.localdate())
            .order_by("review_due", "title")
        )

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.broken_link_count = page.broken_links().count()
            page.hidden_entry_count = len(page.hidden_entries())
        return object_list
