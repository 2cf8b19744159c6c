"""The outbox: an email is a row before it is a task, so it can be late but never lost.

Each app that sends email keeps its own concrete outbox model on `OutboxMessage` (enquiries'
`OutgoingMessage`, current awareness's confirmations and digest deliveries). Delivery claims
the row, sends, and marks it sent; a retry of a sent message finds nothing to claim and does
nothing, so each message goes out once.
"""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long one delivery attempt owns a message; longer than any SMTP timeout, so a second
# worker never sends a message another is still sending.
CLAIM_SECONDS = 300


class DeliveryFailed(Exception):
    """The mail server could not take the message now; it stays pending for a retry."""


class OutboxQuerySet(models.QuerySet):
    def pending(self):
        """Messages neither sent nor cancelled."""
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True)

    def abandoned(self, now: datetime.datetime | None = None):
        """Pending messages whose delivery claim ran out: the worker sending them stopped."""
        return self.pending().filter(claimed_until__lt=now or timezone.now())

    def claim(self) -> list[int]:
        """Take every pending, untaken message of this queryset for one delivery attempt, in
        one transaction; the ids taken (another worker's claims are skipped, not waited for)."""
        now = timezone.now()
        free = self.pending().filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        with transaction.atomic():
            ids = list(free.select_for_update(skip_locked=True).values_list("pk", flat=True))
            if ids:
                self.model._default_manager.filter(pk__in=ids).update(
                    claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS),
                    attempts=F("attempts") + 1,
                    last_attempt_at=now,
                )
        return ids


class OutboxMessage(models.Model):
    """One stored email and the state of its delivery."""

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

    objects = OutboxQuerySet.as_manager()

    # The stem of each message's Message-ID, e.g. "enquiry-message".
    message_id_stem = "message"

    class Meta:
        abstract = True

    @property
    def message_id(self) -> str:
        """A stable Message-ID, so a receiving server can recognise a repeat."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
        return f"<{self.message_id_stem}-{self.pk}@{domain}>"

    def as_email(self) -> EmailMessage:
        """The Django email for this row."""
        return EmailMessage(
            subject=self.subject,
            body=self.body,
            to=[self.recipient],
            headers={"Message-ID": self.message_id},
        )

    def claim(self) -> bool:
        """Take this message for one delivery attempt; False if sent, cancelled or taken."""
        now = timezone.now()
        claimed = (
            type(self)
            ._default_manager.pending()
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
            type(self)
            ._default_manager.abandoned()
            .filter(pk=self.pk, claimed_until=self.claimed_until)
            .update(claimed_until=None)
        )
        return released == 1

    def deliver(self, connection=None) -> bool:
        """Send this message unless it is already sent; True when this call sent it.

        Raises DeliveryFailed (with the message still pending) when the mail server fails.
        """
        if not self.claim():
            return False
        self.refresh_from_db()
        self.send_claimed(connection)
        return True

    def send_claimed(self, connection=None) -> None:
        """Send this message, already claimed by this worker, and mark it sent.

        Raises DeliveryFailed (with the message still pending) when the mail server fails.
        """
        manager = type(self)._default_manager
        try:
            email = self.as_email()
            email.connection = connection
            email.send()
        except (OSError, smtplib.SMTPException) as error:
            manager.filter(pk=self.pk).update(
                claimed_until=None, last_error=str(error)[:500] or type(error).__name__
            )
            raise DeliveryFailed(str(error)) from error
        manager.filter(pk=self.pk).update(sent_at=timezone.now(), claimed_until=None, last_error="")

    def retry_delay(self, longest: int = 3600) -> datetime.timedelta:
        """Exponential back-off from one minute, capped at `longest` seconds."""
        seconds = min(60 * 2 ** max(self.attempts - 1, 0), longest)
        return datetime.timedelta(seconds=seconds)
