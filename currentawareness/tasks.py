"""Background delivery of current awareness email through the task worker, with retries.

Confirmation emails are queued on commit by the `confirmation_stored` signal. Digest
deliveries are queued in batches by `send_digests` after their rows are committed; a batch
claims its deliveries in one transaction, prepares each distinct digest once, shares one
SMTP connection, and marks each delivery sent as soon as the server takes it, so a task run
twice (a retry, a recovered stalled task, a rerun of send_digests) never sends one twice,
and a worker killed mid-batch leaves the rest claimed until the claim runs out, then pending.
"""

import datetime
import logging
import smtplib
from functools import partial

from django.core.mail import get_connection
from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task, task_backends

from currentawareness.emails import PreparedDigest
from currentawareness.links import site_base_url
from currentawareness.models import ConfirmationEmail, DigestContent, DigestDelivery
from currentawareness.models.outbox import confirmation_stored
from shelfmark_core.conf import app_setting
from shelfmark_core.outbox import DeliveryFailed

logger = logging.getLogger(__name__)


def _backend():
    return app_setting("CURRENTAWARENESS_TASK_BACKEND")


def _can_defer() -> bool:
    return task_backends[_backend()].supports_defer


@task()
def send_confirmation_email(message_id: int) -> str:
    """Send one confirmation email once; on failure queue a later retry."""
    message = ConfirmationEmail.objects.filter(pk=message_id).first()
    if message is None:
        return "gone"
    try:
        return "sent" if message.deliver() else "already sent or in progress"
    except DeliveryFailed:
        message.refresh_from_db()
        if _can_defer():
            when = timezone.now() + message.retry_delay(
                app_setting("CURRENTAWARENESS_MAX_RETRY_DELAY")
            )
            queue_confirmation(message, run_after=when)
        raise


def queue_confirmation(message, run_after: datetime.datetime | None = None) -> None:
    try:
        send_confirmation_email.using(backend=_backend(), run_after=run_after).enqueue(message.pk)
    except DatabaseError:
        logger.exception("Could not queue subscription email %s; it stays pending.", message.pk)


@receiver(confirmation_stored, sender=ConfirmationEmail, dispatch_uid="ca.queue_confirmation")
def queue_after_commit(sender, message, **kwargs) -> None:
    transaction.on_commit(partial(queue_confirmation, message))


def recipient_refused(error: Exception) -> str | None:
    """The server's reason when it refused the address itself (a permanent 5xx), else None."""
    if isinstance(error.__cause__, smtplib.SMTPRecipientsRefused):
        codes = [(code, text) for code, text in error.__cause__.recipients.values()]
        if codes and all(500 <= code < 600 for code, _text in codes):
            return "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in codes)
    return None


@task()
def send_digest_batch(delivery_ids: list[int]) -> str:
    """Send each pending delivery of the batch once, over one SMTP connection; failures are
    queued again after a back-off, and an address the server refuses is marked bounced."""
    # Connect first: with the server down, nothing is claimed and the next run can send.
    with get_connection() as connection:
        claimed = DigestDelivery.objects.filter(pk__in=delivery_ids).claim()
        deliveries = list(
            DigestDelivery.objects.filter(pk__in=claimed)
            .select_related("subscriber")
            .order_by("pk")
        )
        prepared = {
            content.pk: PreparedDigest.of(content)
            for content in DigestContent.objects.filter(
                pk__in={delivery.content_id for delivery in deliveries}
            )
        }
        base = site_base_url() if deliveries else ""
        sent, failed, retry = 0, 0, []
        for delivery in deliveries:
            if delivery.subscriber is None or delivery.content_id not in prepared:
                # Erased (or its content removed) after it was queued: nothing to send.
                DigestDelivery.objects.filter(pk=delivery.pk).update(
                    cancelled_at=timezone.now(),
                    claimed_until=None,
                    last_error="erased" if delivery.subscriber is None else "no content",
                )
                continue
            delivery.prepared, delivery.link_base = prepared[delivery.content_id], base
            try:
                delivery.send_claimed(connection)
                sent += 1
            except DeliveryFailed as error:
                failed += 1
                reason = recipient_refused(error)
                if reason:
                    delivery.subscriber.mark_bounced(reason)
                else:
                    retry.append(delivery.pk)
    if retry:
        queue_digest_batches(retry, retry=True)
    return f"sent {sent}, failed {failed}"


def queue_digest_batches(delivery_ids: list[int], retry: bool = False) -> int:
    """Queue the deliveries in batches; a retry waits where the backend can defer (without
    that, they stay pending for the next `send_digests` run). The number of tasks queued."""
    if retry and not _can_defer():
        return 0
    run_after = (
        timezone.now()
        + datetime.timedelta(seconds=app_setting("CURRENTAWARENESS_MAX_RETRY_DELAY") // 12)
        if retry
        else None
    )
    size = app_setting("CURRENTAWARENESS_BATCH_SIZE")
    queued = 0
    for start in range(0, len(delivery_ids), size):
        batch = delivery_ids[start : start + size]
        try:
            send_digest_batch.using(backend=_backend(), run_after=run_after).enqueue(batch)
            queued += 1
        except DatabaseError:
            logger.exception("Could not queue digest deliveries %s..; they stay pending.", batch[0])
    return queued
