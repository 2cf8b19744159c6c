"""Subscribers' personal data: export, erasure and the purge of unconfirmed sign-ups."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from currentawareness.models import DigestDelivery, DigestIssuePage, Subscriber
from tests.factories.currentawareness import subscriber

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    output = io.StringIO()
    call_command(*args, stdout=output)
    return output.getvalue()


def test_export_lists_everything_held_about_an_address(site):
    subscriber("held@example.org", services=["caspar"], searches=["q=neglect"], nations=["wales"])
    document = json.loads(run("subscriber_data", "HELD@example.org", "--export"))
    held = document["subscriber"]
    assert held["email"] == "held@example.org"
    assert held["services"] == ["caspar"] and held["nations"] == ["wales"]
    assert held["saved_searches"] == ["q=neglect"]


def test_erasure_removes_the_address_everywhere_but_keeps_anonymous_send_counts(site):
    person = subscriber("erase@example.org", searches=["q=neglect"])
    issue = DigestIssuePage(
        title="Issue",
        slug="issue",
        service="new-in-library",
        period_start=datetime.date(2026, 11, 16),
        period_end=datetime.date(2026, 11, 22),
    )
    site["archive"].add_child(instance=issue)
    DigestDelivery.objects.create(
        issue=issue,
        subscriber=person,
        recipient=person.email,
        subject="s",
        body="erase@example.org",
        sent_at=person.confirmed_at,
    )
    assert "Erased the subscriber" in run("subscriber_data", "erase@example.org", "--erase")
    assert not Subscriber.objects.exists()
    delivery = DigestDelivery.objects.get()
    assert delivery.recipient == "" and "erase@example.org" not in delivery.body
    assert delivery.sent_at is not None
    assert "nothing to erase" in run("subscriber_data", "erase@example.org", "--erase")


def test_unconfirmed_sign_ups_are_purged_after_the_set_time(site, settings):
    settings.CURRENTAWARENESS_UNCONFIRMED_DAYS = 14
    stale = subscriber("stale@example.org", confirmed_on=None)
    Subscriber.objects.filter(pk=stale.pk).update(
        created_at=stale.created_at - datetime.timedelta(days=15)
    )
    subscriber("recent@example.org", confirmed_on=None)
    subscriber("confirmed@example.org")
    assert "Would delete 1" in run("purge_unconfirmed_subscribers", "--dry-run")
    assert "Deleted 1" in run("purge_unconfirmed_subscribers")
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "confirmed@example.org",
        "recent@example.org",
    ]
