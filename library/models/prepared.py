"""Record details prepared ahead of requests (see library.record_details)."""

from django.db import models


class PreparedRecordDetail(models.Model):
    """A record's partner API detail, built when the record was last indexed.

    It is served only while it matches the record: the same publication (`published_at`) and
    the same documents state (`online_until` may pass). Addresses are site-relative.
    """

    record = models.OneToOneField(
        "library.CatalogueRecord",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="prepared_detail",
    )
    published_at = models.DateTimeField(
        null=True, help_text="The record's last publication this detail was built from."
    )
    online_until = models.DateField(null=True, help_text="The record's online-until date then.")
    documents_online = models.BooleanField(help_text="Whether its documents were served then.")
    detail = models.TextField(help_text="The detail as JSON, with site-relative addresses.")
    prepared_at = models.DateTimeField(
        help_text="When preparing began: a later preparation always wins over an earlier one."
    )

    class Meta:
        verbose_name = "prepared record detail"

    def __str__(self):
        return f"prepared detail of record {self.record_id}"
