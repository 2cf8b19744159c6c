"""send_digests end to end against a real SMTP server: who gets what, once."""

import email
import email.policy
import io

import pytest
from django.core.management import call_command

from currentawareness import tasks
from currentawareness.models import DigestDelivery, DigestIssuePage, Subscriber
from tests.currentawareness.conftest import IN_PERIOD, RUN_DAY
from tests.factories.currentawareness import subscriber
from tests.factories.library import (
    CaseReviewFactory,
    CatalogueRecordFactory,
    RecommendationFactory,
    SubjectFactory,
)
from tests.library.test_visibility_contract import restrict

pytestmark = pytest.mark.django_db


def send(service="new-in-library", **options):
    output = io.StringIO()
    call_command(
        "send_digests", date=RUN_DAY.isoformat(), service=service, stdout=output, **options
    )
    return output.getvalue()


def received(smtp, address):
    return [
        email.message_from_bytes(message["data"].encode(), policy=email.policy.default)
        for message in smtp.inbox.to(address)
    ]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_each_subscriber_gets_one_digest_with_html_text_and_unsubscribe_headers(site, smtp):
    CatalogueRecordFactory(
        parent=site["library"], title="Neglect in adolescence", date_added=IN_PERIOD
    )
    subscriber("ana@example.org")
    send()
    [message] = received(smtp, "ana@example.org")
    assert message["Subject"].startswith("New in the Library: 16 November to 22 November 2026")
    assert "Neglect in adolescence" in text_of(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'href="http://localhost/library/' in html
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<http://localhost/subscriptions/unsubscribe/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_first_digest_lists_only_what_was_added_since_sign_up(site, smtp):
    CatalogueRecordFactory(
        parent=site["library"], title="Old news", date_added=IN_PERIOD.replace(day=16)
    )
    CatalogueRecordFactory(
        parent=site["library"], title="Fresh news", date_added=IN_PERIOD.replace(day=21)
    )
    subscriber("new@example.org", confirmed_on=IN_PERIOD.replace(day=20))
    send()
    body = text_of(received(smtp, "new@example.org")[0])
    assert "Fresh news" in body and "Old news" not in body


def test_running_twice_sends_nothing_twice(site, smtp):
    CatalogueRecordFactory(parent=site["library"], date_added=IN_PERIOD)
    for n in range(3):
        subscriber(f"reader{n}@example.org")
    send()
    output = send()
    assert "0 new digests" in output and "3 done before" in output
    assert sorted(address for m in smtp.inbox.messages for address in m["to"]) == [
        "reader0@example.org",
        "reader1@example.org",
        "reader2@example.org",
    ]


def test_a_run_killed_half_way_is_finished_by_the_next_without_duplicates(
    site, smtp, settings, monkeypatch
):
    settings.CURRENTAWARENESS_BATCH_SIZE = 2
    CatalogueRecordFactory(parent=site["library"], date_added=IN_PERIOD)
    addresses = [f"reader{n}@example.org" for n in range(7)]
    for address in addresses:
        subscriber(address)
    real_task = tasks.send_digest_batch
    calls = []

    class DiesAfterTwoBatches:
        """The task queue as seen by a process killed while queueing the third batch."""

        def using(self, **options):
            self.options = options
            return self

        def enqueue(self, delivery_ids):
            if len(calls) == 2:
                raise KeyboardInterrupt
            calls.append(delivery_ids)
            return real_task.using(**self.options).enqueue(delivery_ids)

    monkeypatch.setattr(tasks, "send_digest_batch", DiesAfterTwoBatches())
    with pytest.raises(KeyboardInterrupt):
        send()
    assert len(smtp.inbox.messages) == 4
    monkeypatch.setattr(tasks, "send_digest_batch", real_task)
    send()
    got = sorted(address for m in smtp.inbox.messages for address in m["to"])
    assert got == sorted(addresses)


def test_topics_count_their_narrower_terms_and_nations_filter(site, smtp):
    abuse = SubjectFactory(name="Child abuse", slug="child-abuse")
    neglect = SubjectFactory(name="Neglect", slug="neglect", broader=abuse)
    CatalogueRecordFactory(
        parent=site["library"],
        title="On neglect in Wales",
        subjects=[neglect],
        nation="wales",
        date_added=IN_PERIOD,
    )
    CatalogueRecordFactory(
        parent=site["library"],
        title="On neglect in Scotland",
        subjects=[neglect],
        nation="scotland",
        date_added=IN_PERIOD,
    )
    CatalogueRecordFactory(
        parent=site["library"],
        title="On neglect everywhere",
        subjects=[neglect],
        date_added=IN_PERIOD,
    )
    CatalogueRecordFactory(parent=site["library"], title="On something else", date_added=IN_PERIOD)
    subscriber("broad@example.org", services=["caspar"], topics=[abuse], nations=["wales"])
    send("caspar")
    body = text_of(received(smtp, "broad@example.org")[0])
    assert "On neglect in Wales" in body
    assert "On neglect everywhere" in body
    assert "Scotland" not in body and "something else" not in body


def test_saved_searches_and_topics_list_a_record_once(site, smtp):
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    hoarding = SubjectFactory(name="Hoarding", slug="hoarding")
    CatalogueRecordFactory(
        parent=site["library"],
        title="Neglect and hoarding at home",
        subjects=[neglect, hoarding],
        date_added=IN_PERIOD,
    )
    CatalogueRecordFactory(
        parent=site["library"], title="Wombat parenting study", date_added=IN_PERIOD
    )
    subscriber(
        "many@example.org",
        services=["caspar"],
        topics=[neglect, hoarding],
        searches=["q=hoarding", "q=wombat"],
    )
    send("caspar")
    body = text_of(received(smtp, "many@example.org")[0])
    assert body.count("Neglect and hoarding at home") == 1
    assert "Wombat parenting study" in body


def test_restricted_records_never_appear(site, smtp):
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    secret = CatalogueRecordFactory(
        parent=site["library"], title="Quokkaville report", subjects=[neglect], date_added=IN_PERIOD
    )
    CatalogueRecordFactory(
        parent=site["library"], title="Public report", subjects=[neglect], date_added=IN_PERIOD
    )
    restrict(secret)
    subscriber("all@example.org", services=["caspar"], topics=[neglect], searches=["q=quokkaville"])
    send("caspar")
    body = text_of(received(smtp, "all@example.org")[0])
    assert "Public report" in body and "Quokkaville" not in body


def test_nothing_new_sends_nothing_and_the_next_digest_starts_after(site, smtp):
    subscriber("quiet@example.org")
    send()
    assert smtp.inbox.messages == []
    assert DigestDelivery.objects.get().last_error == "nothing new"


def test_a_refused_address_is_marked_bounced_and_skipped_next_time(site, smtp):
    CatalogueRecordFactory(parent=site["library"], date_added=IN_PERIOD)
    subscriber("gone@example.org")
    subscriber("here@example.org")
    send()
    assert Subscriber.objects.get(email="gone@example.org").bounced_at is not None
    assert len(received(smtp, "here@example.org")) == 1
    assert Subscriber.objects.receiving("new-in-library").count() == 1


def test_record_bounce_stops_sending(site, smtp):
    CatalogueRecordFactory(parent=site["library"], date_added=IN_PERIOD)
    subscriber("bouncy@example.org")
    output = io.StringIO()
    call_command("record_bounce", "Bouncy@example.org", reason="mailbox full", stdout=output)
    assert "Marked 1 addresses" in output.getvalue()
    send()
    assert smtp.inbox.messages == []


def test_the_case_reviews_update_shows_what_each_review_has_and_leaves_out_the_rest(site, smtp):
    theme = SubjectFactory(name="Domestic abuse", slug="domestic-abuse")
    review = CaseReviewFactory(
        parent=site["repository"],
        title="Case review: Child T",
        themes=[theme],
        publication_year=2026,
        date_added=IN_PERIOD.replace(month=10),
        abstract="<p>A toddler lived with domestic abuse.</p>",
    )
    RecommendationFactory(review=review, text="Health visitors should ask about abuse.")
    bare = CaseReviewFactory(
        parent=site["repository"],
        title="Case review: Child U",
        date_added=IN_PERIOD.replace(month=10),
        abstract="",
    )
    bare.board = None
    bare.save()
    subscriber(
        "reviews@example.org", services=["case-reviews"], confirmed_on=IN_PERIOD.replace(month=9)
    )
    send("case-reviews")
    [message] = received(smtp, "reviews@example.org")
    assert message["Subject"].startswith("Case reviews update: October 2026")
    body = text_of(message)
    assert "abuse and neglect" in body and "0808 800 5000" in body
    assert "A toddler lived with domestic abuse." in body
    assert "Learning themes include: Domestic abuse" in body
    assert "Recommendations include: Health visitors should ask about abuse." in body
    child_u = body[body.index("Case review: Child U") :]
    assert "Learning themes" not in child_u and "Recommendations" not in child_u.split("http")[0]
    assert "None" not in body


def test_the_editorial_issue_introduction_and_featured_records_go_out_and_online(
    site, smtp, client
):
    featured = CatalogueRecordFactory(
        parent=site["library"], title="Featured guide", date_added=IN_PERIOD
    )
    issue = DigestIssuePage(
        title="New in the Library: the neglect week",
        slug="nil-neglect-week",
        service="new-in-library",
        period_start=IN_PERIOD.replace(day=16),
        period_end=IN_PERIOD.replace(day=22),
        introduction="<p>This week we focus on neglect.</p>",
        live=False,
    )
    site["archive"].add_child(instance=issue)
    issue.featured_items.create(record=featured, note="Our pick this week")
    issue.save_revision()
    subscriber("ed@example.org")
    send()
    body = text_of(received(smtp, "ed@example.org")[0])
    assert "This week we focus on neglect." in body
    assert "Featured guide – Our pick this week" in body
    issue.refresh_from_db()
    assert issue.live
    page = client.get(issue.url).content.decode()
    assert "This week we focus on neglect." in page and "Our pick this week" in page
    archive = client.get(site["archive"].url).content.decode()
    assert "New in the Library: the neglect week" in archive
    feed = client.get(site["archive"].url + "feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "New in the Library: the neglect week" in feed.content.decode()


def test_dry_run_stores_and_sends_nothing(site, smtp):
    CatalogueRecordFactory(parent=site["library"], date_added=IN_PERIOD)
    subscriber("dry@example.org")
    output = send(dry_run=True)
    assert "would send 1 digests" in output
    assert smtp.inbox.messages == [] and not DigestDelivery.objects.exists()
    assert not DigestIssuePage.objects.exists()


def test_a_bad_date_is_a_clear_error(site):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", date="23/11/2026")


def test_without_an_archive_page_the_command_says_what_to_do(db):
    from django.core.management.base import CommandError

    subscriber("x@example.org")
    with pytest.raises(CommandError, match="archive page"):
        call_command("send_digests", date=RUN_DAY.isoformat(), service="new-in-library")
