"""Signing up: the same answer for every address, with the email deciding what happens."""

from django.db import transaction

from currentawareness.choices import EmailKind, EventKind
from currentawareness.emails import confirmation, manage_reminder
from currentawareness.links import confirm_url, manage_url
from currentawareness.models import ConfirmationEmail, SavedSearch, Subscriber, SubscriptionEvent
from shelfmark_core.conf import app_setting
from shelfmark_core.ratelimit import hit


def request_sign_up(email: str, choices: dict) -> None:
    """Email the address a link that confirms `choices`; an address already subscribed gets
    a link to manage its subscription as well. The caller shows the same page either way, so
    the site never says whether an address is subscribed. A few emails per address per day
    at most, however often it is entered."""
    email = Subscriber.normalise(email)
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(email=email)
        if created:
            SubscriptionEvent.record(EventKind.SIGNED_UP, choices.get("services", []))
        limit, window = app_setting("CURRENTAWARENESS_EMAILS_PER_ADDRESS")
        if not hit(f"ca-address:{email}", limit, window).allowed:
            return
        confirm = confirm_url(subscriber.key, choices)
        if subscriber.is_active:
            subject, body = manage_reminder(manage_url(subscriber.key), confirm)
            kind = EmailKind.MANAGE
        else:
            search = (
                SavedSearch(query=choices["search"]).describe() if choices.get("search") else ""
            )
            subject, body = confirmation(confirm, choices.get("services", []), search)
            kind = EmailKind.CONFIRM
        ConfirmationEmail.store(subscriber, kind, subject, body)
