"""The services a subscriber chooses from, and how long each one's period is."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    NEW_IN_LIBRARY = "new-in-library", _("New in the Library (weekly)")
    CASPAR = "caspar", _("CASPAR topic alerts (weekly)")
    CASE_REVIEWS = "case-reviews", _("Case reviews update (monthly)")


SERVICE_TITLES = {
    Service.NEW_IN_LIBRARY: _("New in the Library"),
    Service.CASPAR: _("CASPAR current awareness"),
    Service.CASE_REVIEWS: _("Case reviews update"),
}

MONTHLY = {Service.CASE_REVIEWS}


class EventKind(models.TextChoices):
    SIGNED_UP = "signed-up", _("Signed up")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")
    ERASED = "erased", _("Erased")


class EmailKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirm your subscription")
    MANAGE = "manage", _("Link to manage your subscription")


def period_for(service: str, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last whole period before `on`: the Monday-to-Sunday week before the week of `on`
    for weekly services, the calendar month before the month of `on` for monthly ones."""
    if service in MONTHLY:
        end = on.replace(day=1) - datetime.timedelta(days=1)
        return end.replace(day=1), end
    start = on - datetime.timedelta(days=on.weekday() + 7)
    return start, start + datetime.timedelta(days=6)
