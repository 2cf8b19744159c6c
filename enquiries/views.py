"""Staff actions on enquiries in the admin: thin views over the Enquiry model's methods."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_required

from enquiries import reports, retention
from enquiries.forms import (
    AssignForm,
    DueDateForm,
    NoteForm,
    ReplyForm,
    ReportForm,
    StaffEnquiryForm,
    StatusForm,
    SubjectAccessForm,
)
from enquiries.models import CannedResponse, Enquiry
from enquiries.triage import inspect_url


def editable_enquiry(pk: int) -> Enquiry:
    enquiry = get_object_or_404(Enquiry, pk=pk)
    if enquiry.is_erased:
        raise PermissionDenied(_("This enquiry's personal data has been erased."))
    return enquiry


@require_POST
@permission_required("enquiries.change_enquiry")
def assign(request, pk):
    """Assign to me, to a colleague in the Information Service, or to nobody."""
    enquiry = editable_enquiry(pk)
    to = request.POST.get("to")
    if to == "colleague":
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["assignee"]))
            return redirect(inspect_url(enquiry))
        assignee = form.cleaned_data["assignee"]
    else:
        assignee = request.user if to == "me" else None
    enquiry.assign_to(assignee, user=request.user)
    messages.success(request, _("Enquiry %(ref)s assignment saved.") % {"ref": enquiry})
    return redirect(inspect_url(enquiry))


@require_POST
@permission_required("enquiries.change_enquiry")
def change_status(request, pk):
    enquiry = editable_enquiry(pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        enquiry.change_status(form.cleaned_data["status"], user=request.user)
        messages.success(request, _("Status saved."))
    else:
        messages.error(request, _("Choose one of the statuses listed."))
    return redirect(inspect_url(enquiry))


@require_POST
@permission_required("enquiries.change_enquiry")
def change_due_date(request, pk):
    enquiry = editable_enquiry(pk)
    form = DueDateForm(request.POST)
    if form.is_valid():
        enquiry.set_due_date(form.cleaned_data["due_date"], user=request.user)
        messages.success(request, _("Due date saved."))
    else:
        messages.error(request, " ".join(form.errors["due_date"]))
    return redirect(inspect_url(enquiry))


@require_POST
@permission_required("enquiries.change_enquiry")
def add_note(request, pk):
    enquiry = editable_enquiry(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        enquiry.add_note(form.cleaned_data["text"], user=request.user)
        messages.success(request, _("Internal note saved. It is never sent to the enquirer."))
    else:
        messages.error(request, " ".join(form.errors["text"]))
    return redirect(inspect_url(enquiry))


@permission_required("enquiries.change_enquiry")
def compose_reply(request, pk):
    """Write a reply (optionally from a canned response) and send it to the enquirer."""
    enquiry = editable_enquiry(pk)
    if request.method == "POST" and "insert" in request.POST:
        # Inserting a canned response only rewrites the text being composed; nothing is sent.
        form = ReplyForm(request.POST, canned_responses=CannedResponse.objects.all())
        form.is_valid()
        data = request.POST.copy()
        data["body"] = form.inserted_body()
        data["canned"] = ""
        form = ReplyForm(data, canned_responses=CannedResponse.objects.all())
    elif request.method == "POST":
        form = ReplyForm(request.POST, canned_responses=CannedResponse.objects.all())
        if form.is_valid():
            enquiry.send_reply(
                form.cleaned_data["body"],
                user=request.user,
                records=form.cleaned_data["records"],
                then_status=form.cleaned_data["then_status"],
            )
            messages.success(
                request,
                _("Reply to %(ref)s saved and queued to %(email)s.")
                % {"ref": enquiry, "email": enquiry.email},
            )
            return redirect(inspect_url(enquiry))
    else:
        canned = CannedResponse.objects.filter(pk=request.GET.get("canned") or None).first()
        form = ReplyForm(
            initial={"body": canned.body if canned else ""},
            canned_responses=CannedResponse.objects.all(),
        )
    return TemplateResponse(
        request,
        "enquiries/admin/reply.html",
        {
            "enquiry": enquiry,
            "form": form,
            "inspect_url": inspect_url(enquiry),
        },
    )


@permission_required("enquiries.change_enquiry")
def log_enquiry(request):
    """Record an enquiry that came by telephone or email, as if sent through the form."""
    form = StaffEnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enquiry = Enquiry.submit(submitted_by=request.user, **form.enquiry_fields())
        messages.success(
            request,
            _("Enquiry %(ref)s logged; the enquirer is emailed the reference.") % {"ref": enquiry},
        )
        return redirect(inspect_url(enquiry))
    return TemplateResponse(request, "enquiries/admin/log_enquiry.html", {"form": form})


@permission_required("enquiries.view_enquiry")
def statistics_report(request):
    """Volumes and times for a date range, on screen or as CSV."""
    form = ReportForm(request.GET or None)
    enquiries = Enquiry.objects.all()
    if form.is_valid():
        if form.cleaned_data["date_from"]:
            enquiries = enquiries.filter(received_at__date__gte=form.cleaned_data["date_from"])
        if form.cleaned_data["date_to"]:
            enquiries = enquiries.filter(received_at__date__lte=form.cleaned_data["date_to"])
    stats = reports.enquiry_statistics(enquiries)
    if request.GET.get("format") == "csv":
        response = HttpResponse(reports.statistics_csv(stats), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="enquiry-statistics.csv"'
        return response
    return TemplateResponse(
        request,
        "enquiries/admin/statistics.html",
        {
            "form": form,
            "stats": stats,
            "first_reply_hours": reports.hours(stats.median_first_reply),
            "close_hours": reports.hours(stats.median_close),
            "csv_query": (request.GET.urlencode() + "&" if request.GET else "") + "format=csv",
        },
    )


@permission_required("enquiries.erase_enquiry")
def subject_access(request):
    """Export (JSON) or erase everything held about one email address."""
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if request.POST.get("action") == "export":
            document = retention.subject_access_export(email, user=request.user)
            response = HttpResponse(
                json.dumps(document, indent=2, ensure_ascii=False),
                content_type="application/json",
            )
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.json"'
            return response
        if request.POST.get("action") == "erase":
            if not form.cleaned_data["confirm"]:
                form.add_error(
                    "confirm",
                    _("Tick the box to confirm the erasure; it cannot be undone."),
                )
            else:
                erased = retention.erase_for_email(email, user=request.user)
                messages.success(
                    request,
                    _("Erased the personal data of %(count)d enquiries: %(refs)s.")
                    % {"count": len(erased), "refs": ", ".join(erased) or _("none found")},
                )
                return redirect("enquiries_subject_access")
    return TemplateResponse(request, "enquiries/admin/subject_access.html", {"form": form})
