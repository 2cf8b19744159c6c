"""What the catalogue import remembers: where each imported record came from."""

from django.db import models


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
