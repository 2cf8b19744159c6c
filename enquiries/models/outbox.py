"""The outbox: every email about an enquiry is a row here before it is a task.

A row is written in the same transaction as the thing it reports (the enquiry, the reply), so
an email can be late but never lost. Delivery claims the row, sends, and marks it sent; a retry
of a sent message finds nothing to claim and does nothing, so each message goes out once.
"""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.choices import MessageKind
from enquiries.emails import Email

# How long one delivery attempt owns a message; longer than any SMTP timeout, so a second
# worker never sends a message another is still sending.
CLAIM_SECONDS = 300


# Sent for each new outbox row inside the transaction that stores it; enquiries.tasks queues
# the delivery on commit, so the models need not import the tasks that import them.
message_stored = Signal()


class DeliveryFailed(Exception):
    """The mail server could not take the message now; it stays pending for a retry."""


class OutgoingMessageQuerySet(models.QuerySet):
    def pending(self) -> "OutgoingMessageQuerySet":
        """Messages neither sent nor cancelled."""
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True)

    def abandoned(self, now: datetime.datetime | None = None) -> "OutgoingMessageQuerySet":
        """Pending messages whose delivery claim ran out: the worker sending them stopped."""
        return self.pending().filter(claimed_until__lt=now or timezone.now())


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
    reply_to = models.EmailField(_("reply to"), blank=True)
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
            reply_to=[self.reply_to] if self.reply_to else None,
            headers={"Message-ID": self.message_id},
        )

    @classmethod
    def store(cls, enquiry, kind: str, email: Email, reply=None) -> "OutgoingMessage":
        """Store one rendered email unless the enquiry already has this kind (or this reply's
        email); announce a new one so that it is queued on commit."""
        message, created = cls.objects.get_or_create(
            enquiry=enquiry,
            kind=kind,
            reply=reply,
            defaults={
                "recipient": email.recipient,
                "reply_to": email.reply_to,
                "subject": email.subject,
                "body": email.body,
            },
        )
        if created:
            message_stored.send(sender=cls, message=message)
        return message

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

    def release_abandoned_claim(self) -> bool:
        """Free an expired claim so a new attempt may take it; False if another process
        already did, or the message was sent or claimed again meanwhile."""
        released = (
            OutgoingMessage.objects.abandoned()
            .filter(pk=self.pk, claimed_until=self.claimed_until)
            .update(claimed_until=None)
        )
        return released == 1

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
