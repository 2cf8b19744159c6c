"""Sending digests that share one stored email: each copy is personal, and a worker killed
part-way through a batch neither loses nor repeats a digest (checked on a real SMTP server)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from currentawareness import tasks
from currentawareness.emails import (
    MANAGE_PLACEHOLDER,
    UNSUBSCRIBE_PLACEHOLDER,
    DigestEmail,
    PreparedDigest,
)
from currentawareness.models import DigestContent, DigestDelivery, Subscriber
from tests.currentawareness.conftest import IN_PERIOD
from tests.currentawareness.test_digests import received, send, text_of
from tests.factories.currentawareness import subscriber
from tests.factories.library import CatalogueRecordFactory

pytestmark = pytest.mark.django_db

LINK = r"http://localhost(/subscriptions/{kind}/[^\s\"<>]+)"


def test_subscribers_with_the_same_choices_share_one_stored_email_with_their_own_links(site, smtp):
    CatalogueRecordFactory(
        parent=site["library"], title="Neglect in adolescence", date_added=IN_PERIOD
    )
    addresses = ["ana@example.org", "ben@example.org", "cai@example.org"]
    for address in addresses:
        subscriber(address)
    send()
    assert DigestContent.objects.count() == 1
    assert set(DigestDelivery.objects.values_list("body", flat=True)) == {""}
    links = {}
    for address in addresses:
        [message] = received(smtp, address)
        text = text_of(message)
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Neglect in adolescence" in text and "placeholder" not in text + html
        unsubscribe = re.search(LINK.format(kind="unsubscribe"), text).group(1)
        assert unsubscribe in html and unsubscribe in message["List-Unsubscribe"]
        assert re.search(LINK.format(kind="manage"), html)
        links[address] = unsubscribe
    assert len(set(links.values())) == 3
    # Ben's link unsubscribes Ben, and only Ben.
    assert Client().post(links["ben@example.org"]).status_code == 200
    assert list(
        Subscriber.objects.filter(unsubscribed_at__isnull=False).values_list("email", flat=True)
    ) == ["ben@example.org"]


def test_a_worker_killed_mid_batch_leaves_the_rest_for_the_next_run_without_repeats(
    site, smtp, settings, monkeypatch
):
    settings.CURRENTAWARENESS_BATCH_SIZE = 10
    CatalogueRecordFactory(parent=site["library"], date_added=IN_PERIOD)
    addresses = [f"reader{n}@example.org" for n in range(5)]
    for address in addresses:
        subscriber(address)
    real_send = DigestDelivery.send_claimed
    sent = []

    def dies_on_the_third(delivery, connection=None):
        if len(sent) == 2:
            raise KeyboardInterrupt  # the worker process is killed here
        real_send(delivery, connection)
        sent.append(delivery.pk)

    monkeypatch.setattr(DigestDelivery, "send_claimed", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        send()
    monkeypatch.setattr(DigestDelivery, "send_claimed", real_send)
    assert len(smtp.inbox.messages) == 2
    # While the dead worker's claim lasts, a rerun leaves its deliveries alone ...
    send()
    assert len(smtp.inbox.messages) == 2
    # ... and once the claim has run out, the next run sends the rest, once each.
    DigestDelivery.objects.filter(sent_at__isnull=True).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    send()
    got = sorted(address for m in smtp.inbox.messages for address in m["to"])
    assert got == sorted(addresses)
    assert tasks.send_digest_batch.call([d.pk for d in DigestDelivery.objects.all()]) == (
        "sent 0, failed 0"
    )


@pytest.mark.parametrize(
    "address",
    ["ana@example.org", "a-very-long-address-that-makes-the-to-header-fold@example.org"],
)
def test_each_spliced_copy_is_the_message_django_would_build(address):
    text = f"Neglect – a guide\nChange: {MANAGE_PLACEHOLDER}\n{UNSUBSCRIBE_PLACEHOLDER}\n"
    html = f'<p>Neglect – a guide</p><a href="{UNSUBSCRIBE_PLACEHOLDER}">Unsubscribe</a>\n'
    email = PreparedDigest("New in the Library (1)", text, html).email_for(
        address,
        "<digest-12@localhost>",
        "http://localhost/subscriptions/manage/" + "m" * 90 + "/",
        "http://localhost/subscriptions/unsubscribe/" + "u" * 90 + "/",
    )
    assert email.spliced is not None

    def comparable(data: bytes) -> bytes:
        # Each build has its own Date and MIME boundary.
        return re.sub(rb"Date: [^\r]+|=+\d+==", b"", data)

    # What Django builds from the same email's body, HTML and headers.
    built = super(DigestEmail, email).message().as_bytes(linesep="\r\n")
    assert comparable(email.spliced) == comparable(built)
