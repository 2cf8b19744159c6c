"""Current awareness email, stored before it is sent (shared outbox): confirmation emails,
and one digest delivery per subscriber per issue."""

from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from currentawareness.choices import EmailKind
from shelfmark_core.outbox import OutboxMessage, OutboxQuerySet

# Sent for each new confirmation email inside the transaction that stores it;
# currentawareness.tasks queues it on commit.
confirmation_stored = Signal()


class ConfirmationEmail(OutboxMessage):
    """A confirmation link (or, for a confirmed address, a link to manage it)."""

    subscriber = models.ForeignKey(
        "currentawareness.Subscriber", on_delete=models.CASCADE, related_name="confirmations"
    )
    kind = models.CharField(max_length=20, choices=EmailKind.choices)

    objects = OutboxQuerySet.as_manager()

    message_id_stem = "subscription"

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("subscription email")

    @classmethod
    def store(cls, subscriber, kind: str, subject: str, body: str) -> "ConfirmationEmail":
        message = cls.objects.create(
            subscriber=subscriber, kind=kind, recipient=subscriber.email, subject=subject, body=body
        )
        confirmation_stored.send(sender=cls, message=message)
        return message


class DigestDelivery(OutboxMessage):
    """One issue for one subscriber: the row is created before anything is queued and is
    unique per subscriber and issue, so a rerun or a resumed run never sends it twice."""

    issue = models.ForeignKey(
        "currentawareness.DigestIssuePage", on_delete=models.CASCADE, related_name="deliveries"
    )
    # Kept without the subscriber after erasure, for the staff figures.
    subscriber = models.ForeignKey(
        "currentawareness.Subscriber",
        null=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    html_body = models.TextField(blank=True)
    unsubscribe_url = models.URLField(max_length=500, blank=True)
    record_ids = models.JSONField(default=list)

    objects = OutboxQuerySet.as_manager()

    message_id_stem = "digest"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="ca_one_delivery_per_issue"
            )
        ]

    def as_email(self) -> EmailMultiAlternatives:
        """The digest as plain text and HTML, with RFC 8058 one-click unsubscribe headers."""
        email = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            to=[self.recipient],
            headers={
                "Message-ID": self.message_id,
                "List-Unsubscribe": f"<{self.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        if self.html_body:
            email.attach_alternative(self.html_body, "text/html")
        return email
