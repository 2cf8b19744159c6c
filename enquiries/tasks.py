"""Background delivery of enquiry emails, with retries that outlast a mail server outage.

The models never import this module: each new outbox row is announced by the
`message_stored` signal, and the receiver here queues its delivery once the row is committed
(connected when the app is ready, in apps.py).
"""

import datetime
import logging
from functools import partial

from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task, task_backends

from enquiries.models import DeliveryFailed, OutgoingMessage
from enquiries.models.outbox import message_stored
from shelfmark_core.conf import app_setting

logger = logging.getLogger(__name__)


@task()
def send_enquiry_message(message_id: int) -> str:
    """Send one outbox message once; on failure queue a later retry and fail this attempt.

    Running this again for a message already sent does nothing, so retries and a second
    worker cannot send an email twice.
    """
    message = OutgoingMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "gone"
    try:
        return "sent" if message.deliver() else "already sent or in progress"
    except DeliveryFailed:
        message.refresh_from_db()
        schedule_retry(message)
        raise


def queue(message: OutgoingMessage, run_after: datetime.datetime | None = None) -> None:
    """Hand this message to the tasks backend; if queueing fails it stays pending."""
    delivery = send_enquiry_message.using(
        backend=app_setting("ENQUIRIES_TASK_BACKEND"), run_after=run_after
    )
    try:
        delivery.enqueue(message.pk)
    except DatabaseError:
        # The message row is committed; send_pending_enquiry_emails picks it up later.
        logger.exception("Could not queue enquiry email %s; it stays pending.", message.pk)


@receiver(message_stored, sender=OutgoingMessage, dispatch_uid="enquiries.queue_stored_message")
def queue_after_commit(sender, message: OutgoingMessage, **kwargs) -> None:
    """Queue a newly stored message once the surrounding transaction commits."""
    transaction.on_commit(partial(queue, message))


def schedule_retry(message: OutgoingMessage) -> bool:
    """Queue the next attempt after a back-off, where the backend can defer tasks.

    Backends that run tasks at once (tests, `bench`) cannot wait; there the message stays
    pending for `manage.py send_pending_enquiry_emails`.
    """
    backend = task_backends[app_setting("ENQUIRIES_TASK_BACKEND")]
    if not backend.supports_defer:
        return False
    queue(message, run_after=timezone.now() + message.retry_delay())
    logger.warning(
        "Enquiry email %s failed (attempt %s); retrying in %s.",
        message.pk,
        message.attempts,
        message.retry_delay(),
    )
    return True


def requeue_abandoned_messages() -> list[int]:
    """Queue again every message whose sender stopped mid-send (its claim ran out).

    Each expired claim is released by one process only, so two sweeps queue it once; the
    claim taken by the next attempt still guards against sending it twice.
    """
    requeued = []
    for message in OutgoingMessage.objects.abandoned().order_by("pk"):
        if message.release_abandoned_claim():
            queue(message)
            requeued.append(message.pk)
    return requeued
