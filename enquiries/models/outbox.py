"""The outbox: every email about an enquiry is a row here before it is a task.

A row is written in the same transaction as the thing it reports (the enquiry, the reply), so
an email can be late but never lost. Delivery claims the row, sends, and marks it sent; a retry
of a sent message finds nothing to claim and does nothing, so each message goes out once.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# How long one delivery attempt owns a message; longer than any SMTP timeout, so a second
# worker never sends a message another is still sending.
CLAIM_SECONDS = 300


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement to the enquirer")
    NOTIFICATION = "notification", _("Notification to the service mailbox")
    REPLY = "reply", _("Reply to the enquirer")


class DeliveryFailed(Exception):
    """The mail server could not take the message now; it stays pending for a retry."""


class OutgoingMessageQuerySet(models.QuerySet):
    def pending(self) -> "OutgoingMessageQuerySet":
        """Messages neither sent nor cancelled."""
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True)


class OutgoingMessage(models.Model):
    """One email about one enquiry: at most one per kind, and one per reply."""

    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    reply = models.OneToOneField(
        "enquiries.EnquiryReply",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="message",
    )
    recipient = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing email")
        constraints = [
            models.UniqueConstraint(
                fields=["enquiry", "kind"],
                condition=Q(reply__isnull=True),
                name="enquiries_one_message_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.pk})"

    @property
    def message_id(self) -> str:
        """A stable Message-ID, so a receiving server can recognise a repeat."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
        return f"<enquiry-message-{self.pk}@{domain}>"

    def as_email(self) -> EmailMessage:
        """The Django email for this row."""
        return EmailMessage(
            subject=self.subject,
            body=self.body,
            to=[self.recipient],
            headers={"Message-ID": self.message_id},
        )

    def queue_after_commit(self) -> None:
        """Queue delivery once the surrounding transaction commits."""
        transaction.on_commit(self.queue)

    def queue(self, run_after: datetime.datetime | None = None) -> None:
        """Hand this message to the tasks backend; if queueing fails it stays pending."""
        from enquiries.tasks import send_enquiry_message

        task = send_enquiry_message.using(
            backend=settings.ENQUIRIES_TASK_BACKEND, run_after=run_after
        )
        try:
            task.enqueue(self.pk)
        except DatabaseError:
            # The message row is committed; send_pending_enquiry_emails picks it up later.
            logger.exception("Could not queue enquiry email %s; it stays pending.", self.pk)

    def claim(self) -> bool:
        """Take this message for one delivery attempt; False if sent, cancelled or taken."""
        now = timezone.now()
        claimed = (
            OutgoingMessage.objects.pending()
            .filter(pk=self.pk)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(
                claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
                attempts=F("attempts") + 1,
                last_attempt_at=now,
            )
        )
        return claimed == 1

    def deliver(self) -> bool:
        """Send this message unless it is already sent; True when this call sent it.

        Raises DeliveryFailed (with the message still pending) when the mail server fails.
        """
        if not self.claim():
            return False
        self.refresh_from_db()
        try:
            self.as_email().send()
        except (OSError, smtplib.SMTPException) as error:
            OutgoingMessage.objects.filter(pk=self.pk).update(
                claimed_until=None, last_error=str(error)[:500] or type(error).__name__
            )
            raise DeliveryFailed(str(error)) from error
        OutgoingMessage.objects.filter(pk=self.pk).update(
            sent_at=timezone.now(), claimed_until=None, last_error=""
        )
        return True

    def retry_delay(self) -> datetime.timedelta:
        """Exponential back-off from one minute, capped by ENQUIRIES_MAX_RETRY_DELAY."""
        seconds = min(60 * 2 ** max(self.attempts - 1, 0), settings.ENQUIRIES_MAX_RETRY_DELAY)
        return datetime.timedelta(seconds=seconds)
