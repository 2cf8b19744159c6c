"""The enquiries' outbox (shared outbox): every email about an enquiry is a row here first.

A row is written in the same transaction as the thing it reports (the enquiry, the reply), so
an email can be late but never lost. Delivery claims the row, sends, and marks it sent; a retry
of a sent message finds nothing to claim and does nothing, so each message goes out once.
"""

import datetime

from django.core.mail import EmailMessage
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from enquiries.choices import MessageKind
from enquiries.emails import Email
from shelfmark_core.conf import app_setting
from shelfmark_core.outbox import CLAIM_SECONDS, DeliveryFailed, OutboxMessage, OutboxQuerySet

__all__ = ["CLAIM_SECONDS", "DeliveryFailed", "OutgoingMessage", "message_stored"]

# Sent for each new outbox row inside the transaction that stores it; enquiries.tasks queues
# the delivery on commit, so the models need not import the tasks that import them.
message_stored = Signal()


class OutgoingMessageQuerySet(OutboxQuerySet):
    pass


class OutgoingMessage(OutboxMessage):
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
    reply_to = models.EmailField(_("reply to"), blank=True)

    objects = OutgoingMessageQuerySet.as_manager()

    message_id_stem = "enquiry-message"

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

    def as_email(self) -> EmailMessage:
        """The Django email for this row, answered to the Information Service when set."""
        email = super().as_email()
        if self.reply_to:
            email.reply_to = [self.reply_to]
        return email

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

    def retry_delay(self, longest: int | None = None) -> datetime.timedelta:
        """Exponential back-off from one minute, capped by ENQUIRIES_MAX_RETRY_DELAY."""
        return super().retry_delay(longest or app_setting("ENQUIRIES_MAX_RETRY_DELAY"))
