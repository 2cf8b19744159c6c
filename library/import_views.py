"""The admin's catalogue import screen, for librarians: upload, preview, import, report."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from library.imports.readers import FORMATS
from library.imports.runs import preview_run
from library.models import ImportRun, LibraryIndexPage
from library.models.workflow import LIBRARIANS_GROUP
from library.tasks import run_catalogue_import

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def may_import(user) -> bool:
    """Librarians (and superusers) may import records."""
    return user.is_active and (
        user.is_superuser or user.groups.filter(name=LIBRARIANS_GROUP).exists()
    )


def librarians_only(view):
    def wrapped(request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class ImportForm(forms.Form):
    upload = forms.FileField(
        label=_("File to import"),
        help_text=_("MARC 21 (.mrc), MARCXML, RIS, BibTeX or CSV (see the CSV layout)."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Recognise it from the file")), *[(name, name) for name in FORMATS]],
    )
    parent = forms.ModelChoiceField(
        label=_("Add new records to"),
        queryset=LibraryIndexPage.objects.order_by("path"),
        empty_label=None,
    )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 200 MB; split it, or import it with the command.")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty; choose the file to import."))
        return upload


@librarians_only
def import_index(request):
    """Upload a file: it is stored, then previewed by a dry run."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        run = ImportRun.objects.create(
            upload=upload,
            original_name=upload.name[:255],
            format=form.cleaned_data["format"],
            parent=form.cleaned_data["parent"],
            created_by=request.user,
        )
        preview_run(run)
        return redirect("library_import_run", pk=run.pk)
    runs = ImportRun.objects.select_related("created_by")[:20]
    return TemplateResponse(
        request, "library/admin/import_index.html", {"form": form, "runs": runs}
    )


@librarians_only
def import_run(request, pk: int):
    """A run's preview, progress or report."""
    run = get_object_or_404(ImportRun.objects.select_related("parent"), pk=pk)
    report_lines = run.report.splitlines()
    return TemplateResponse(
        request,
        "library/admin/import_run.html",
        {"run": run, "report_lines": report_lines, "preview": run.preview or {}},
    )


@librarians_only
@require_POST
def start_import(request, pk: int):
    """Queue the import of a previewed upload as a background task."""
    with transaction.atomic():
        run = get_object_or_404(ImportRun.objects.select_for_update(), pk=pk)
        if run.status == ImportRun.Status.PREVIEWED:
            run.status = ImportRun.Status.QUEUED
            run.save(update_fields=["status"])
            transaction.on_commit(lambda: run_catalogue_import.enqueue(run.pk))
    return redirect("library_import_run", pk=pk)
