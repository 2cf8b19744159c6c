"""The triage admin (wagtail-modeladmin): the enquiry list, filters and the inspect page."""

import datetime

from django.contrib.admin import RelatedOnlyFieldListFilter, SimpleListFilter
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import permission_required
from wagtail.log_actions import log
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView

from enquiries.forms import AssignForm, DueDateForm, NoteForm, StatusForm
from enquiries.models import Enquiry


class AgeFilter(SimpleListFilter):
    """How long ago the enquiry arrived."""

    title = _("age")
    parameter_name = "age"
    BANDS = {
        "week": (0, 7, _("Under a week")),
        "month": (7, 28, _("1 to 4 weeks")),
        "older": (28, None, _("Over 4 weeks")),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (_low, _high, label) in self.BANDS.items()]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        low, high, _label = band
        now = timezone.now()
        queryset = queryset.filter(received_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            queryset = queryset.filter(received_at__gt=now - datetime.timedelta(days=high))
        return queryset


class EnquiryPermissionHelper(PermissionHelper):
    """Only holders of view_enquiry see enquiries; nobody creates, edits or deletes them here
    (they arrive from the public, change through the inspect page's actions, and are erased
    by the retention purge)."""

    def user_can_list(self, user):
        return user.has_perm("enquiries.view_enquiry")

    def user_can_inspect_obj(self, user, obj):
        return user.has_perm("enquiries.view_enquiry")

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class EnquiryInspectView(InspectView):
    """The enquiry in full, with its history and the staff actions; each visit is logged."""

    def get(self, request, *args, **kwargs):
        log(self.instance, "enquiries.view", user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        enquiry = self.instance
        can_change = self.request.user.has_perm("enquiries.change_enquiry")
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "enquiry": enquiry,
                "can_change": can_change,
                "is_overdue": enquiry.is_overdue(),
                "assign_form": AssignForm(initial={"assignee": enquiry.assignee_id}),
                "status_form": StatusForm(initial={"status": enquiry.status}),
                "due_form": DueDateForm(initial={"due_date": enquiry.due_date}),
                "note_form": NoteForm(),
                "notes": enquiry.notes.select_related("author"),
                "replies": enquiry.replies.select_related("author").prefetch_related("records"),
                "history": enquiry.status_changes.select_related("user"),
                "messages_sent": enquiry.messages.all(),
            }
        )
        return context


class EnquiryAdmin(ModelAdmin):
    model = Enquiry
    menu_label = _("Enquiries")
    menu_icon = "mail"
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = EnquiryInspectView
    inspect_template_name = "enquiries/admin/inspect.html"
    index_view_extra_css = ["enquiries/admin/triage.css"]
    permission_helper_class = EnquiryPermissionHelper
    list_display = (
        "reference",
        "received_display",
        "status",
        "profession",
        "topic",
        "assignee",
        "due_display",
    )
    list_filter = (
        "status",
        "profession",
        "topic",
        ("assignee", RelatedOnlyFieldListFilter),
        AgeFilter,
    )
    search_fields = ("reference", "name", "email", "organisation", "topic", "question")
    list_select_related = ("assignee",)
    list_per_page = 50

    # Methods rather than static methods: a static method's short_description is lost when
    # the admin reads it from the class, and the header fell back to "Received display".
    def received_display(self, obj):
        return timezone.localtime(obj.received_at).strftime("%d %b %Y %H:%M")

    received_display.short_description = _("Received")

    def due_display(self, obj):
        """The due date, marked in words (not only colour) when overdue."""
        due = obj.due_date.strftime("%d %b %Y")
        if obj.is_overdue():
            return format_html(
                '<strong class="enquiry-overdue">{} ({})</strong>', due, _("overdue")
            )
        return due

    due_display.short_description = _("Due")

    def get_extra_attrs_for_row(self, obj, context):
        return {"class": "enquiry-row--overdue"} if obj.is_overdue() else {}

    def get_admin_urls_for_registration(self):
        """Every view of this admin (list, inspect, history, and any a new version adds)
        requires the Information Service's view permission, whatever its own checks."""
        guard = permission_required("enquiries.view_enquiry")
        return tuple(
            URLPattern(url.pattern, guard(url.callback), url.default_args, url.name)
            for url in super().get_admin_urls_for_registration()
        )


def inspect_url(enquiry: Enquiry) -> str:
    """The admin address of one enquiry."""
    return reverse("enquiries_enquiry_modeladmin_inspect", args=[enquiry.pk])
