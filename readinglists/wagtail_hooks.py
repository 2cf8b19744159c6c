"""Reading list admin registration: the review report and its menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from readinglists.views import ListsDueForReviewView


@hooks.register("register_admin_urls")
def register_review_report_urls():
    return [
        path(
            "reports/reading-lists-due/",
            ListsDueForReviewView.as_view(),
            name="readinglists_review_report",
        ),
        path(
            "reports/reading-lists-due/results/",
            ListsDueForReviewView.as_view(results_only=True),
            name="readinglists_review_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return MenuItem(
        _("Reading lists due for review"),
        reverse("readinglists_review_report"),
        name="reading-lists-due",
        icon_name="list-ul",
        order=800,
    )
