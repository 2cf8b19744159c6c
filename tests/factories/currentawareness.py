"""Subscribers and issue pages for current awareness tests."""

import datetime

from django.utils import timezone

from currentawareness.models import DigestArchivePage, Subscriber


def archive_page(parent) -> DigestArchivePage:
    """The current awareness archive under `parent` (the home page)."""
    page = DigestArchivePage(title="Current awareness", slug="current-awareness")
    parent.add_child(instance=page)
    return page


def subscriber(
    email: str,
    *,
    services=("new-in-library",),
    topics=(),
    nations=(),
    record_types=(),
    searches=(),
    confirmed_on: datetime.date | None = datetime.date(2026, 11, 1),
) -> Subscriber:
    """A subscriber who confirmed at noon on `confirmed_on` (None: never confirmed)."""
    confirmed = (
        None
        if confirmed_on is None
        else timezone.make_aware(datetime.datetime.combine(confirmed_on, datetime.time(12)))
    )
    person = Subscriber.objects.create(
        email=email,
        confirmed_at=confirmed,
        nations=list(nations),
        record_types=list(record_types),
        **{Subscriber.SERVICE_FIELDS[service]: True for service in services},
    )
    person.topics.set(topics)
    for query in searches:
        person.saved_searches.create(query=query)
    return person
