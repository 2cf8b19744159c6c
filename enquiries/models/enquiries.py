"""Enquiries to the Information Service and everything staff record while answering them.

An enquiry holds the enquirer's personal data until it is erased (by the retention purge or on
request); what remains afterwards (profession, nation, topic, dates, status) is anonymous and
keeps the statistics whole.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from enquiries import emails
from enquiries.choices import OPEN_STATUSES, EnquirerNation, MessageKind, Profession, Source, Status
from enquiries.models.outbox import OutgoingMessage
from shelfmark_core.conf import app_setting


class EnquiryCounter(models.Model):
    """The last reference number issued in one year; incremented inside each new enquiry's
    transaction, so two enquiries can never share a number."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, year: int) -> int:
        """The next number for `year`; call inside the transaction that stores the enquiry."""
        cls.objects.bulk_create([cls(year=year, last_number=0)], ignore_conflicts=True)
        # The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite, IMMEDIATE), so
        # concurrent submissions queue here until the holder commits.
        cls.objects.filter(year=year).update(last_number=F("last_number") + 1)
        return cls.objects.get(year=year).last_number


def format_reference(year: int, number: int) -> str:
    """ENQ-YYYY-NNNNN (five digits, growing past 99999 rather than wrapping)."""
    return f"ENQ-{year}-{number:05d}"


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """`moment` moved back by whole calendar months (the day clamped to the month's end)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


class EnquiryQuerySet(models.QuerySet):
    def open(self) -> "EnquiryQuerySet":
        """Enquiries still being worked on."""
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> "EnquiryQuerySet":
        """Open enquiries past their due date."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def for_email(self, email: str) -> "EnquiryQuerySet":
        """Every enquiry from one email address, whatever its case."""
        return self.filter(email__iexact=email.strip())

    def due_for_erasure(self, now: datetime.datetime | None = None) -> "EnquiryQuerySet":
        """Closed enquiries whose personal data has passed the retention period."""
        now = now or timezone.now()
        cutoff = months_before(now, app_setting("ENQUIRIES_RETENTION_MONTHS"))
        return self.filter(
            status=Status.CLOSED, closed_at__lt=cutoff, erased_at__isnull=True
        ).order_by("closed_at")


class Enquiry(models.Model):
    """One question to the Information Service, from the form, the API or staff."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), db_index=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    profession = models.CharField(_("profession or role"), max_length=30, choices=Profession)
    nation = models.CharField(_("nation or region"), max_length=20, choices=EnquirerNation)
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    question = models.TextField(_("question"))
    needed_by = models.DateField(_("answer needed by"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("consent to processing given"))
    source = models.CharField(_("received through"), max_length=10, choices=Source)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by (API user)"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_enquiries",
        verbose_name=_("assigned to"),
    )
    due_date = models.DateField(_("due date"), db_index=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    first_replied_at = models.DateTimeField(_("first reply sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("erase_enquiry", _("Can export and erase an enquirer's personal data")),
        ]

    def __str__(self):
        # Only the reference: this string is the label of audit log entries.
        return self.reference

    @classmethod
    def create_with_reference(cls, **fields) -> "Enquiry":
        """Store a new enquiry with the next reference of its year (inside a transaction)."""
        received_at = fields.setdefault("received_at", timezone.now())
        year = timezone.localtime(received_at).year
        fields.setdefault("due_date", cls.default_due_date(received_at, fields.get("needed_by")))
        fields.setdefault("consent_given_at", received_at)
        reference = format_reference(year, EnquiryCounter.next_number(year))
        return cls.objects.create(reference=reference, **fields)

    @classmethod
    def submit(cls, *, site=None, **fields) -> "Enquiry":
        """Store an enquiry and its outgoing emails in one transaction.

        The transaction is the enquiry's own (durable): once this returns, the enquiry is
        safe whatever happens to email. The emails leave through tasks after the commit
        (`OutgoingMessage.store` announces each new message; `enquiries.tasks` queues it).
        """
        with transaction.atomic(durable=True):
            enquiry = cls.create_with_reference(**fields)
            OutgoingMessage.store(
                enquiry, MessageKind.ACKNOWLEDGEMENT, emails.acknowledgement(enquiry, site)
            )
            OutgoingMessage.store(
                enquiry, MessageKind.NOTIFICATION, emails.staff_notification(enquiry, site)
            )
            log(enquiry, "wagtail.create", user=fields.get("submitted_by"))
        return enquiry

    @staticmethod
    def default_due_date(
        received_at: datetime.datetime, needed_by: datetime.date | None
    ) -> datetime.date:
        """The service's response target, or sooner when the enquirer needs it sooner."""
        target = timezone.localdate(received_at) + datetime.timedelta(
            days=app_setting("ENQUIRIES_RESPONSE_DAYS")
        )
        return min(target, needed_by) if needed_by else target

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Still open and past its due date."""
        return self.is_open and self.due_date < (today or timezone.localdate())

    def change_status(self, new_status: str, user=None) -> bool:
        """Move to `new_status`, recording the change in the history and the audit log."""
        old_status = self.status
        if new_status == old_status:
            return False
        self.status = new_status
        if new_status == Status.CLOSED:
            self.closed_at = timezone.now()
        elif old_status == Status.CLOSED:
            self.closed_at = None
        with transaction.atomic():
            self.save(update_fields=["status", "closed_at"])
            self.status_changes.create(from_status=old_status, to_status=new_status, user=user)
            log(
                self,
                "enquiries.status",
                user=user,
                data={"old": old_status, "new": new_status},
            )
        return True

    def assign_to(self, assignee, user=None) -> None:
        """Give the enquiry to `assignee` (None to unassign); logged."""
        with transaction.atomic():
            self.assignee = assignee
            self.save(update_fields=["assignee"])
            log(
                self,
                "enquiries.assign",
                user=user,
                data={"assignee": assignee.get_username() if assignee else None},
            )
        if assignee is not None and self.status == Status.RECEIVED:
            self.change_status(Status.IN_PROGRESS, user=user)

    def set_due_date(self, due_date: datetime.date, user=None) -> None:
        """Move the due date; logged."""
        with transaction.atomic():
            old = self.due_date
            self.due_date = due_date
            self.save(update_fields=["due_date"])
            log(
                self,
                "wagtail.edit",
                user=user,
                data={"due_date": {"old": str(old), "new": str(due_date)}},
            )

    def add_note(self, text: str, user) -> "EnquiryNote":
        """An internal note: for staff only, never part of any email."""
        with transaction.atomic():
            note = self.notes.create(text=text, author=user)
            log(self, "enquiries.note", user=user)
        return note

    def send_reply(self, body: str, user, records=(), then_status: str = Status.ANSWERED):
        """Store a reply with its catalogue records and its email to the enquirer, which lists
        the records in the order given."""
        with transaction.atomic():
            reply = self.replies.create(body=body, author=user)
            records = list(records)
            reply.records.set(records)
            if self.first_replied_at is None:
                self.first_replied_at = reply.created_at
                self.save(update_fields=["first_replied_at"])
            OutgoingMessage.store(
                self, MessageKind.REPLY, emails.reply(reply, records), reply=reply
            )
            log(self, "enquiries.reply", user=user, data={"reply": reply.pk})
            self.change_status(then_status, user=user)
        return reply

    def erase_personal_data(self, user=None, reason: str = "") -> None:
        """Blank the enquirer's details, the question, replies and notes; keep the statistics.

        Unsent emails are cancelled with their content, so nothing personal waits in the outbox.
        """
        if self.is_erased:
            return
        now = timezone.now()
        with transaction.atomic():
            self.name = ""
            self.email = ""
            self.organisation = ""
            self.question = ""
            self.erased_at = now
            fields = ["name", "email", "organisation", "question", "erased_at"]
            if self.status != Status.CLOSED:
                self.status_changes.create(
                    from_status=self.status, to_status=Status.CLOSED, user=user
                )
                self.status = Status.CLOSED
                self.closed_at = now
                fields += ["status", "closed_at"]
            self.save(update_fields=fields)
            self.replies.update(body="")
            self.notes.all().delete()
            self.messages.update(recipient="", subject="", body="")
            self.messages.filter(sent_at__isnull=True).update(cancelled_at=now)
            log(self, "enquiries.erase", user=user, data={"reason": reason})

    def subject_access_data(self) -> dict:
        """Everything held about the enquirer in this enquiry, for a subject access request."""
        return {
            "reference": self.reference,
            "received_at": self.received_at.isoformat(),
            "received_through": self.get_source_display(),
            "status": self.get_status_display(),
            "name": self.name,
            "email": self.email,
            "organisation": self.organisation,
            "profession": self.get_profession_display(),
            "nation": self.get_nation_display(),
            "topic": self.topic,
            "question": self.question,
            "needed_by": self.needed_by.isoformat() if self.needed_by else None,
            "consent_given_at": self.consent_given_at.isoformat(),
            "replies": [
                {
                    "sent_at": reply.created_at.isoformat(),
                    "body": reply.body,
                    "records": [record.title for record in reply.records.all()],
                }
                for reply in self.replies.all()
            ],
            "internal_notes": [
                {"written_at": note.created_at.isoformat(), "text": note.text}
                for note in self.notes.all()
            ],
            "status_history": [
                {
                    "at": change.changed_at.isoformat(),
                    "from": change.from_status,
                    "to": change.to_status,
                }
                for change in self.status_changes.all()
            ],
        }


class EnquiryStatusChange(models.Model):
    """One step in an enquiry's life, for the history and the time-to-close statistics."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.enquiry}: {self.from_status} → {self.to_status}"


class EnquiryNote(models.Model):
    """An internal note by staff. Never emailed: no outgoing message is built from notes."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("internal note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on {self.enquiry}"


class EnquiryReply(models.Model):
    """A reply to the enquirer, stored with the enquiry and emailed through the outbox."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("reply"), max_length=20000)
    records = models.ManyToManyField(
        "library.CatalogueRecord", blank=True, related_name="+", verbose_name=_("records")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"Reply to {self.enquiry}"
