"""One run of `send_digests`: for each service, the issue of the last whole period, one
delivery row per subscriber written before anything is queued, then the queueing.

Idempotent and resumable: the delivery rows are unique per subscriber and issue, a rerun
skips subscribers who have one and queues every delivery still pending, and each delivery
is claimed before it is sent. A subscriber's records are those added since their last
digest of the service (or, for a first digest, since they confirmed), up to the period end.
Each distinct list of records is rendered and stored once per issue (`DigestContent`); the
rows point at it, and each subscriber's links are signed when their copy is sent.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from currentawareness.choices import Service, period_for
from currentawareness.emails import DigestRenderer
from currentawareness.matching import (
    Choices,
    SavedSearchHits,
    expanded_topics,
    matching_items,
    new_public_items,
    site_links,
)
from currentawareness.models import (
    DigestArchivePage,
    DigestContent,
    DigestDelivery,
    DigestIssuePage,
    Subscriber,
)
from currentawareness.tasks import queue_digest_batches

ROWS_PER_TRANSACTION = 1000


class NoArchivePage(Exception):
    """There is no current awareness archive page to hold the issue pages."""


@dataclass
class RunReport:
    service: str
    issue_title: str = ""
    period: tuple[datetime.date, datetime.date] | None = None
    new_deliveries: int = 0
    nothing_new: int = 0
    already_done: int = 0
    queued: int = 0
    dry_run_counts: list[int] = field(default_factory=list)


def issue_for(service: str, start: datetime.date, end: datetime.date, create: bool = True):
    """The issue page of `service` for the period starting `start`: the one an editor
    prepared (published now if it was a draft) or a new one under the archive page."""
    issue = DigestIssuePage.objects.filter(service=service, period_start=start).first()
    if issue is not None:
        if not issue.live and create:
            issue.get_latest_revision().publish()
            issue.refresh_from_db()
        return issue
    if not create:
        return None
    archive = DigestArchivePage.objects.live().first()
    if archive is None:
        raise NoArchivePage(
            "Add a current awareness archive page under the home page first: issue pages "
            "live below it."
        )
    title = DigestIssuePage.default_title(service, start, end)
    issue = DigestIssuePage(
        title=title,
        slug=slugify(f"{service}-{start.isoformat()}"),
        service=service,
        period_start=start,
        period_end=end,
    )
    try:
        with transaction.atomic():
            archive.add_child(instance=issue)
            issue.save_revision().publish()
    except IntegrityError:
        # A concurrent run created it first.
        return DigestIssuePage.objects.get(service=service, period_start=start)
    return DigestIssuePage.objects.get(pk=issue.pk)


def last_sent_until(service: str) -> dict[int, datetime.date]:
    """Each subscriber's last digest of `service`: the end of the period it covered."""
    return dict(
        DigestDelivery.objects.filter(issue__service=service, subscriber__isnull=False)
        .values("subscriber")
        .annotate(until=Max("issue__period_end"))
        .values_list("subscriber", "until")
    )


def subscriber_choices(subscribers) -> dict[int, Choices]:
    """Every subscriber's CASPAR choices, topics already widened to their narrower terms."""
    through = Subscriber.topics.through
    topics: dict[int, set[int]] = {}
    for subscriber_id, subject_id in through.objects.filter(
        subscriber__in=[s.pk for s in subscribers]
    ).values_list("subscriber_id", "subject_id"):
        topics.setdefault(subscriber_id, set()).add(subject_id)
    searches: dict[int, list[str]] = {}
    for subscriber in subscribers:
        searches[subscriber.pk] = [s.query for s in subscriber.saved_searches.all()]
    widened: dict[frozenset, frozenset] = {}
    choices = {}
    for subscriber in subscribers:
        chosen = frozenset(topics.get(subscriber.pk, ()))
        if chosen not in widened:
            widened[chosen] = expanded_topics(chosen)
        choices[subscriber.pk] = Choices(
            topic_ids=widened[chosen],
            nations=frozenset(subscriber.nations),
            record_types=frozenset(subscriber.record_types),
            searches=tuple(searches[subscriber.pk]),
        )
    return choices


def run_service(service: str, on: datetime.date, dry_run: bool = False) -> RunReport:
    """Prepare and queue the digests of one service for the last whole period before `on`."""
    start, end = period_for(service, on)
    report = RunReport(service=service, period=(start, end))
    issue = issue_for(service, start, end, create=not dry_run)
    report.issue_title = (
        issue.title if issue else DigestIssuePage.default_title(service, start, end)
    )
    done = (
        set(DigestDelivery.objects.filter(issue=issue).values_list("subscriber_id", flat=True))
        if issue
        else set()
    )
    subscribers = [
        subscriber
        for subscriber in Subscriber.objects.receiving(service)
        .filter(confirmed_at__date__lte=end)
        .prefetch_related("saved_searches")
        if subscriber.pk not in done
    ]
    report.already_done = len(done)
    last_until = last_sent_until(service)
    since_of = {}
    for subscriber in subscribers:
        since = timezone.localdate(subscriber.confirmed_at)
        if subscriber.pk in last_until:
            since = max(since, last_until[subscriber.pk] + datetime.timedelta(days=1))
        since_of[subscriber.pk] = since
    earliest = min(since_of.values(), default=start)
    links = site_links()
    items = new_public_items(earliest, end, links)
    choices = subscriber_choices(subscribers) if service == Service.CASPAR else {}
    hits = SavedSearchHits({item.pk for item in items})
    renderer = DigestRenderer(issue, links) if issue else None

    # Subscribers with the same start date and choices get the same records: match once.
    matched: dict[tuple[datetime.date, Choices], list] = {}
    contents = ContentStore(issue, renderer)
    rows = []
    for subscriber in subscribers:
        key = (since_of[subscriber.pk], choices.get(subscriber.pk, Choices()))
        if key not in matched:
            matched[key] = matching_items(service, items, key[0], key[1], hits)
        chosen = matched[key]
        if dry_run:
            report.dry_run_counts.append(len(chosen))
            continue
        rows.append(delivery_row(issue, subscriber, chosen, contents))
        if len(rows) == ROWS_PER_TRANSACTION:
            store_rows(rows, report)
            rows = []
    if dry_run:
        return report
    store_rows(rows, report)
    pending = list(
        DigestDelivery.objects.pending()
        .filter(issue=issue)
        .exclude(claimed_until__gte=timezone.now())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    report.queued = len(pending)
    queue_digest_batches(pending)
    return report


def store_rows(rows: list[DigestDelivery], report: RunReport) -> None:
    """Write a batch of delivery rows in one transaction, all before any is queued."""
    with transaction.atomic():
        DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    new = sum(1 for row in rows if row.cancelled_at is None)
    report.new_deliveries += new
    report.nothing_new += len(rows) - new


class ContentStore:
    """Each distinct digest of an issue, rendered and stored once: found again by a resumed
    run rather than stored twice. Only each one's id and subject stay in memory (a weekly run
    stores about a gigabyte of email text)."""

    def __init__(self, issue, renderer):
        self.issue = issue
        self.renderer = renderer
        self.stored: dict[tuple[int, ...], tuple[int, str]] = {}

    def content_for(self, items) -> tuple[int, str]:
        """(id, subject) of the stored content listing `items`."""
        ids = tuple(item.pk for item in items)
        if ids not in self.stored:
            digest = self.renderer.render(items)
            content, _created = DigestContent.objects.only("subject").get_or_create(
                issue=self.issue,
                key=hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest(),
                defaults={
                    "subject": digest.subject,
                    "text": digest.text,
                    "html": digest.html,
                    "record_ids": list(ids),
                },
            )
            self.stored[ids] = (content.pk, content.subject)
        return self.stored[ids]


def delivery_row(issue, subscriber, items, contents: ContentStore) -> DigestDelivery:
    """The delivery of `issue` to `subscriber`: its shared content, or, with nothing new,
    recorded as done without an email (so the next digest still starts after this period)."""
    row = DigestDelivery(issue=issue, subscriber=subscriber, recipient=subscriber.email)
    if not items:
        row.cancelled_at = timezone.now()
        row.last_error = "nothing new"
        return row
    row.content_id, row.subject = contents.content_for(items)
    return row


def run(on: datetime.date, services=None, dry_run: bool = False) -> list[RunReport]:
    return [run_service(service, on, dry_run) for service in (services or Service.values)]
