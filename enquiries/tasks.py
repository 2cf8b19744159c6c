"""Background delivery of enquiry emails, with retries that outlast a mail server outage."""

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task, task_backends

from enquiries.models import DeliveryFailed, OutgoingMessage

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


def schedule_retry(message: OutgoingMessage) -> bool:
    """Queue the next attempt after a back-off, where the backend can defer tasks.

    Backends that run tasks at once (tests, `bench`) cannot wait; there the message stays
    pending for `manage.py send_pending_enquiry_emails`.
    """
    backend = task_backends[settings.ENQUIRIES_TASK_BACKEND]
    if not backend.supports_defer:
        return False
    message.queue(run_after=timezone.now() + message.retry_delay())
    logger.warning(
        "Enquiry email %s failed (attempt %s); retrying in %s.",
        message.pk,
        message.attempts,
        message.retry_delay(),
    )
    return True
