"""Admin registration for enquiries: triage, staff actions, menu, snippets and log actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from enquiries import views
from enquiries.models import CannedResponse
from enquiries.triage import EnquiryAdmin

modeladmin_register(EnquiryAdmin)
register_snippet(CannedResponse)


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users with one permission; its URL is resolved late."""

    def __init__(self, label, url_name, permission, **kwargs):
        self.url_name = url_name
        self.permission = permission
        super().__init__(label, "", **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)

    def render_component(self, request):
        self.url = reverse(self.url_name)
        return super().render_component(request)


@hooks.register("register_admin_urls")
def register_enquiry_urls():
    return [
        path("enquiries/<int:pk>/assign/", views.assign, name="enquiries_assign"),
        path("enquiries/<int:pk>/status/", views.change_status, name="enquiries_status"),
        path("enquiries/<int:pk>/due/", views.change_due_date, name="enquiries_due"),
        path("enquiries/<int:pk>/note/", views.add_note, name="enquiries_note"),
        path("enquiries/<int:pk>/reply/", views.compose_reply, name="enquiries_reply"),
        path("enquiries/log/", views.log_enquiry, name="enquiries_log"),
        path("enquiries/statistics/", views.statistics_report, name="enquiries_statistics"),
        path("enquiries/subject-access/", views.subject_access, name="enquiries_subject_access"),
    ]


@hooks.register("register_admin_menu_item")
def register_information_service_menu():
    menu = Menu(
        items=[
            PermissionMenuItem(
                _("Enquiries"),
                "enquiries_enquiry_modeladmin_index",
                "enquiries.view_enquiry",
                icon_name="mail",
                order=100,
            ),
            PermissionMenuItem(
                _("Log a phone or email enquiry"),
                "enquiries_log",
                "enquiries.change_enquiry",
                icon_name="plus",
                order=150,
            ),
            PermissionMenuItem(
                _("Statistics"),
                "enquiries_statistics",
                "enquiries.view_enquiry",
                icon_name="table",
                order=200,
            ),
            PermissionMenuItem(
                _("Canned responses"),
                "wagtailsnippets_enquiries_cannedresponse:list",
                "enquiries.view_cannedresponse",
                icon_name="doc-full",
                order=300,
            ),
            PermissionMenuItem(
                _("Subject access and erasure"),
                "enquiries_subject_access",
                "enquiries.erase_enquiry",
                icon_name="user",
                order=400,
            ),
        ]
    )
    return SubmenuMenuItem(
        _("Information Service"), menu, icon_name="help", name="information-service", order=250
    )


@hooks.register("register_log_actions")
def register_enquiry_log_actions(actions):
    actions.register_action("enquiries.view", _("View enquiry"), _("Viewed"))
    actions.register_action("enquiries.export", _("Export enquiry"), _("Exported"))
    actions.register_action("enquiries.status", _("Change status"), _("Status changed"))
    actions.register_action("enquiries.assign", _("Assign enquiry"), _("Assigned"))
    actions.register_action("enquiries.note", _("Add internal note"), _("Internal note added"))
    actions.register_action("enquiries.reply", _("Send reply"), _("Reply sent"))
    actions.register_action("enquiries.erase", _("Erase personal data"), _("Personal data erased"))
