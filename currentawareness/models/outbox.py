"""Current awareness email, stored before it is sent (on shelfmark_core.outbox): confirmation
emails, and one digest delivery per subscriber per issue, whose text is stored once per issue and
list of records (`DigestContent`) however many subscribers receive it."""

from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from currentawareness.choices import EmailKind
from currentawareness.emails import DigestEmail, PreparedDigest
from currentawareness.links import manage_url, site_base_url, unsubscribe_url
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


class DigestContent(models.Model):
    """One rendered digest of an issue, shared by every subscriber whose digest lists the same
    records: the subject, text and HTML with placeholders where each subscriber's own signed
    links go, filled in when each copy is sent."""

    # A content made by migration 0003 from a delivery rendered before contents were shared
    # is keyed by that delivery ("delivery-<pk>"); its links are already in its text.
    MIGRATED_PREFIX = "delivery-"

    issue = models.ForeignKey(
        "currentawareness.DigestIssuePage", on_delete=models.CASCADE, related_name="contents"
    )
    # The SHA-256 of the record ids, in order: the same records give the same email.
    key = models.CharField(max_length=64)
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    record_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("digest content")
        constraints = [
            models.UniqueConstraint(fields=["issue", "key"], name="ca_one_content_per_records")
        ]

    def __str__(self):
        return self.subject


class DigestDelivery(OutboxMessage):
    """One issue for one subscriber: the row is created before anything is queued and is
    unique per subscriber and issue, so a rerun or a resumed run never sends it twice. Its
    email is its content with the subscriber's address and signed links, made at send time
    (the inherited `body` stays empty)."""

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
    # Empty for a "nothing new" row, which sends nothing.
    content = models.ForeignKey(
        DigestContent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )

    objects = OutboxQuerySet.as_manager()

    message_id_stem = "digest"

    # Set by a batch sender so that its deliveries share one prepared message and base URL.
    prepared: PreparedDigest | None = None
    link_base: str | None = None

    class Meta:
        ordering = ["pk"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="ca_one_delivery_per_issue"
            )
        ]

    def as_email(self) -> DigestEmail:
        """The digest as plain text and HTML, with this subscriber's signed manage and
        unsubscribe links (signed now, so they expire counting from the send) and RFC 8058
        one-click unsubscribe headers."""
        prepared = self.prepared or PreparedDigest.of(self.content)
        base = self.link_base or site_base_url()
        key = self.subscriber.key
        return prepared.email_for(
            self.recipient, self.message_id, manage_url(key, base), unsubscribe_url(key, base)
        )
