"""Data protection: the retention purge, subject access exports and erasure on request."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from enquiries.models import Enquiry


def purge_expired(now: datetime.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Erase personal data of closed enquiries past the retention period; their references."""
    due = list(Enquiry.objects.due_for_erasure(now))
    if not dry_run:
        for enquiry in due:
            enquiry.erase_personal_data(reason="retention period ended")
    return [enquiry.reference for enquiry in due]


def subject_access_export(email: str, user=None) -> dict:
    """Everything held about one email address, as a JSON-ready document; each enquiry's
    export is recorded in the audit log."""
    enquiries = list(
        Enquiry.objects.for_email(email)
        .order_by("received_at")
        .prefetch_related("replies__records", "notes", "status_changes")
    )
    for enquiry in enquiries:
        log(enquiry, "enquiries.export", user=user)
    return {
        "email": email,
        "generated_at": timezone.now().isoformat(),
        "enquiries": [enquiry.subject_access_data() for enquiry in enquiries],
    }


def erase_for_email(email: str, user=None) -> list[str]:
    """Erase every enquiry from one email address now, whatever its status; the references."""
    with transaction.atomic():
        enquiries = list(Enquiry.objects.for_email(email).filter(erased_at__isnull=True))
        for enquiry in enquiries:
            enquiry.erase_personal_data(user=user, reason="erased on request")
    return [enquiry.reference for enquiry in enquiries]
