"""Subscribers and their choices: services, CASPAR topics, nations, record types, searches."""

import uuid

from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from currentawareness.choices import EventKind, Service


class SubscriberQuerySet(models.QuerySet):
    def receiving(self, service: str) -> "SubscriberQuerySet":
        """Confirmed subscribers who want `service` and can be sent to."""
        return self.filter(
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
            bounced_at__isnull=True,
            **{Subscriber.SERVICE_FIELDS[service]: True},
        )

    def unconfirmed_before(self, moment) -> "SubscriberQuerySet":
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class Subscriber(models.Model):
    """One email address and what it wants; no account, reached by signed links."""

    SERVICE_FIELDS = {
        Service.NEW_IN_LIBRARY: "new_in_library",
        Service.CASPAR: "caspar",
        Service.CASE_REVIEWS: "case_reviews",
    }

    email = models.EmailField(_("email address"), unique=True)
    # Signed links carry this key, never the address.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=300, blank=True)
    new_in_library = models.BooleanField(_("New in the Library"), default=False)
    caspar = models.BooleanField(_("CASPAR topic alerts"), default=False)
    case_reviews = models.BooleanField(_("Case reviews update"), default=False)
    topics = models.ManyToManyField(
        "library.Subject", verbose_name=_("CASPAR topics"), blank=True, related_name="+"
    )
    nations = models.JSONField(_("nations"), default=list, blank=True)
    record_types = models.JSONField(_("record types"), default=list, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("subscriber")

    def __str__(self):
        return self.email

    @staticmethod
    def normalise(email: str) -> str:
        return email.strip().lower()

    @property
    def services(self) -> list[str]:
        return [service for service, field in self.SERVICE_FIELDS.items() if getattr(self, field)]

    @property
    def is_active(self) -> bool:
        return bool(self.confirmed_at and not self.unsubscribed_at and not self.bounced_at)

    def apply_choices(self, choices: dict) -> None:
        """Set the services, topics, nations and record types a signed link carried, and add
        its saved search."""
        if "services" in choices:
            for service, field in self.SERVICE_FIELDS.items():
                setattr(self, field, service in choices["services"])
            self.nations = list(choices.get("nations", []))
            self.record_types = list(choices.get("record_types", []))
        self.save()
        if "topics" in choices:
            self.topics.set(choices["topics"])
        if choices.get("search"):
            self.saved_searches.get_or_create(query=choices["search"])
            if not self.caspar:
                self.caspar = True
                self.save(update_fields=["caspar"])

    def confirm(self, choices: dict) -> None:
        """The owner of the address followed a confirmation link: subscribe with `choices`."""
        now = timezone.now()
        first = not self.is_active
        if self.confirmed_at is None:
            self.confirmed_at = now
        # Following the link proves the address takes mail again.
        self.unsubscribed_at = self.bounced_at = None
        self.bounce_reason = ""
        self.apply_choices(choices)
        if first:
            SubscriptionEvent.record(EventKind.CONFIRMED, self.services)

    def unsubscribe(self) -> None:
        """Stop every service; the address stays only until erased or purged."""
        if self.unsubscribed_at is None:
            services = self.services
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["unsubscribed_at"])
            SubscriptionEvent.record(EventKind.UNSUBSCRIBED, services)

    def mark_bounced(self, reason: str = "") -> bool:
        """Stop sending to an address the mail system says does not take mail; cancels what
        is waiting. False when it was already marked."""
        if self.bounced_at is not None:
            return False
        self.bounced_at = timezone.now()
        self.bounce_reason = reason[:300]
        self.save(update_fields=["bounced_at", "bounce_reason"])
        self.deliveries.pending().update(cancelled_at=self.bounced_at, last_error="bounced")
        SubscriptionEvent.record(EventKind.BOUNCED, self.services)
        return True

    def subject_access_data(self) -> dict:
        """Everything held about this subscriber, JSON-ready."""
        return {
            "email": self.email,
            "signed_up": self.created_at.isoformat(),
            "confirmed": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "unsubscribed": self.unsubscribed_at.isoformat() if self.unsubscribed_at else None,
            "bounced": self.bounced_at.isoformat() if self.bounced_at else None,
            "services": self.services,
            "topics": [topic.name for topic in self.topics.all()],
            "nations": self.nations,
            "record_types": self.record_types,
            "saved_searches": [search.query for search in self.saved_searches.all()],
            "digests": [
                {
                    "issue": delivery.issue.title,
                    "subject": delivery.subject,
                    "sent": delivery.sent_at.isoformat() if delivery.sent_at else None,
                }
                for delivery in self.deliveries.select_related("issue")
            ],
        }


class SavedSearch(models.Model):
    """A catalogue search, as its query string, whose new matches go in the CASPAR alert."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="saved_searches"
    )
    query = models.CharField(_("search"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "query"], name="ca_one_saved_search")
        ]

    def __str__(self):
        return self.describe()

    def describe(self) -> str:
        """The search in words, e.g. "neglect; subject: Neglect"."""
        data = QueryDict(self.query)
        parts = [data.get("q", "")] if data.get("q") else []
        parts += [
            f"{key.replace('_', ' ')}: {', '.join(data.getlist(key))}"
            for key in sorted(data)
            if key not in ("q", "page", "sort", "offset", "limit")
        ]
        return "; ".join(parts) or str(_("everything in the catalogue"))


class SubscriptionEvent(models.Model):
    """A sign-up, confirmation, unsubscription or bounce, for the staff figures; it holds no
    personal data, so it outlives erasure."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    services = models.JSONField(default=list)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, kind: str, services=()) -> "SubscriptionEvent":
        return cls.objects.create(kind=kind, services=[str(service) for service in services])
