"""Subscribers' personal data: export, erasure on request, the purge of unconfirmed sign-ups,
and bounces reported by the mail system."""

import datetime

from django.db import transaction
from django.utils import timezone

from currentawareness.choices import EventKind
from currentawareness.models import DigestContent, DigestDelivery, Subscriber, SubscriptionEvent
from shelfmark_core.conf import app_setting


def find(email: str) -> Subscriber | None:
    return Subscriber.objects.filter(email=Subscriber.normalise(email)).first()


def subject_access_export(email: str) -> dict:
    """Everything held about one address, JSON-ready (empty when nothing is held)."""
    subscriber = find(email)
    return {
        "email": Subscriber.normalise(email),
        "generated_at": timezone.now().isoformat(),
        "subscriber": subscriber.subject_access_data() if subscriber else None,
    }


def erase(email: str) -> bool:
    """Delete the subscriber, their choices and searches, and strip their address and digest
    texts from the delivery rows (kept, anonymous, for the figures). False if none held."""
    with transaction.atomic():
        subscriber = find(email)
        if subscriber is None:
            return False
        deliveries = DigestDelivery.objects.filter(subscriber=subscriber)
        deliveries.pending().update(cancelled_at=timezone.now(), last_error="erased")
        # A content migrated from one delivery holds that subscriber's links; shared ones
        # hold nothing personal.
        DigestContent.objects.filter(
            deliveries__in=deliveries, key__startswith=DigestContent.MIGRATED_PREFIX
        ).delete()
        deliveries.update(recipient="", body="", subject="")
        SubscriptionEvent.record(EventKind.ERASED, subscriber.services)
        subscriber.delete()
    return True


def purge_unconfirmed(now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete sign-ups never confirmed within CURRENTAWARENESS_UNCONFIRMED_DAYS; how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=app_setting("CURRENTAWARENESS_UNCONFIRMED_DAYS")
    )
    due = Subscriber.objects.unconfirmed_before(cutoff)
    count = due.count()
    if not dry_run:
        due.delete()
    return count


def record_bounce(email: str, reason: str = "") -> str:
    """Mark an address as bouncing: nothing more is sent to it until it confirms again.
    "marked", "already" or "unknown"."""
    subscriber = find(email)
    if subscriber is None:
        return "unknown"
    return "marked" if subscriber.mark_bounced(reason or "reported bounce") else "already"
