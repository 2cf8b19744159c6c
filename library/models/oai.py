"""What OAI-PMH harvesters must hear about records that left the catalogue.

The repository keeps deleted records persistently: a record unpublished or deleted leaves a
`WithdrawnRecord` carrying what selective harvesting needs (its datestamp and set memberships),
so a harvester asking later still learns it is gone. Publishing it again removes the row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WithdrawnRecordQuerySet(models.QuerySet):
    def in_set(self, kind: str, value: str | None) -> "WithdrawnRecordQuerySet":
        """Rows that were members of the set `kind` ("type", "subject", "nation"), or of its
        member `value` when given."""
        if kind == "type":
            return self.filter(record_type=value) if value else self
        if kind == "subject":
            if value:
                return self.filter(subject_slugs__contains=f" {value} ")
            return self.exclude(subject_slugs="")
        if kind == "nation":
            reviews = self.filter(record_type="case-review").exclude(nation="")
            return reviews.filter(nation=value) if value else reviews
        return self.none()


class WithdrawnRecord(models.Model):
    """A record no longer published (unpublished or deleted), as OAI-PMH reports it."""

    record_id = models.PositiveIntegerField(_("record id"), unique=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"))
    record_type = models.CharField(_("record type"), max_length=30, blank=True)
    nation = models.CharField(_("nation"), max_length=20, blank=True)
    # Space-separated, with a space at each end, so that one slug matches with a "contains".
    subject_slugs = models.TextField(_("subjects"), blank=True, default="")

    objects = WithdrawnRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("withdrawn record")
        indexes = [
            models.Index(fields=["withdrawn_at", "record_id"], name="library_withdrawn_stamp")
        ]

    def __str__(self):
        return f"record {self.record_id} withdrawn {self.withdrawn_at:%Y-%m-%d %H:%M}"
