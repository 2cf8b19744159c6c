"""Learning admin registration: the briefing staleness report and its menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from learning.views import BriefingStalenessView


@hooks.register("register_admin_urls")
def register_staleness_report_urls():
    return [
        path(
            "reports/stale-briefings/",
            BriefingStalenessView.as_view(),
            name="learning_staleness_report",
        ),
        path(
            "reports/stale-briefings/results/",
            BriefingStalenessView.as_view(results_only=True),
            name="learning_staleness_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_staleness_report_menu_item():
    return MenuItem(
        _("Thematic briefings going stale"),
        reverse("learning_staleness_report"),
        name="stale-briefings",
        icon_name="doc-full",
        order=810,
    )
