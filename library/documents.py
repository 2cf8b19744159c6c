"""Rules for serving the documents attached to catalogue records.

A document attached to records is served only if one of them is visible to the user (view
restrictions) and still online (`online_until`). Documents attached to no record follow
Wagtail's own rules. Editors who can use the admin always get the file, so they can check it.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from library.models import CatalogueRecord

NOINDEX = "noindex"


@dataclass
class DocumentDecision:
    """Whether a document may be served, and if not, why and for which records."""

    allowed: bool
    reason: str = ""  # "hidden" (no visible record) or "withdrawn" (online_until passed)
    records: list = field(default_factory=list)


def document_decision(document, user, today: datetime.date | None = None) -> DocumentDecision:
    """Decide whether `user` may download `document` today."""

    attached = CatalogueRecord.objects.filter(attached_documents__document=document).distinct()
    if not attached.exists():
        return DocumentDecision(allowed=True)
    if user is not None and user.has_perm("wagtailadmin.access_admin"):
        return DocumentDecision(allowed=True)
    visible = list(attached.visible_to(user).order_by("pk"))
    if not visible:
        return DocumentDecision(allowed=False, reason="hidden")
    today = today or timezone.localdate()
    if any(record.documents_online(today) for record in visible):
        return DocumentDecision(allowed=True, records=visible)
    return DocumentDecision(allowed=False, reason="withdrawn", records=visible)


def is_document_download(request, response) -> bool:
    """Whether this response is a file served by Wagtail's document view."""
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == "wagtaildocs_serve"
        and response.status_code in (200, 206, 304)
    )
