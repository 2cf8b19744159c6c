"""What the catalogue import remembers: where each imported record came from, and each run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedRecordSource(models.Model):
    """An imported record's identity in its source file and the values last imported into it.

    `imported_values` is the fingerprint that tells a librarian's edit from a stale import: a
    field whose current value differs from what the last import wrote was edited since, so a
    re-import keeps it and says so.
    """

    record = models.OneToOneField(
        "library.CatalogueRecord",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="import_source",
    )
    source_ids = models.TextField(
        blank=True,
        help_text="The record's identifiers in its source, one per line (MARC 001 and 035).",
    )
    imported_values = models.JSONField(default=dict)
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = "imported record source"

    def __str__(self):
        return f"import source of record {self.record_id}"


class ImportedSourceId(models.Model):
    """One source identifier of an imported record, indexed for matching a re-import."""

    source_id = models.CharField(max_length=255, db_index=True)
    record = models.ForeignKey(
        "library.CatalogueRecord", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "imported source identifier"

    def __str__(self):
        return self.source_id


class ImportRun(models.Model):
    """One import started from the admin: the upload is stored first, previewed by a dry run,
    then imported by a background task that records its progress and report here."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    upload = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    format = models.CharField(_("format"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    expected = models.PositiveIntegerField(default=0, help_text="Records in the file.")
    processed = models.PositiveIntegerField(default=0, help_text="Records read so far.")
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    report = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def summary(self) -> str:
        """The closing line, as the command prints it."""
        return f"imported {self.imported}, updated {self.updated}, rejected {self.rejected}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
