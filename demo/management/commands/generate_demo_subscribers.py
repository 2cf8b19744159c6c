"""Synthetic subscribers, and a week of newly added records, for the digest benchmark."""

import datetime
import random
import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.models import Site

from currentawareness.choices import period_for
from currentawareness.models import DigestArchivePage, SavedSearch, Subscriber
from library.models import CatalogueRecord, Nation, Subject

SEARCHES = [
    "q=neglect",
    "q=domestic+abuse",
    "q=sexual+abuse",
    "q=online+safety",
    "q=looked+after+children",
    "q=parenting",
    "q=mental+health",
    "q=early+help",
    "q=bullying",
    "q=child+sexual+exploitation",
]


class Command(BaseCommand):
    help = (
        "Create N confirmed subscribers with mixed choices, and mark M records as added in "
        "the week before --date, for `send_digests` benchmarks. Bench and demo data only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=30_000)
        parser.add_argument("--new-records", type=int, default=500)
        parser.add_argument("--date", default=None, help="the run date (YYYY-MM-DD)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, new_records, date, seed, **options):
        started = time.perf_counter()
        rng = random.Random(seed)  # noqa: S311 - repeatable bench data, not security
        on = datetime.date.fromisoformat(date) if date else timezone.localdate()
        start, end = period_for("new-in-library", on)
        if not DigestArchivePage.objects.exists():
            home = Site.objects.get(is_default_site=True).root_page
            home.add_child(
                instance=DigestArchivePage(title="Current awareness", slug="current-awareness")
            )
        ids = list(CatalogueRecord.objects.values_list("pk", flat=True))
        # Subscribers confirmed before the week, and the rest of the catalogue added before
        # they confirmed: their digest holds the week's new records, not a backlog.
        confirmed = timezone.make_aware(
            datetime.datetime.combine(start - datetime.timedelta(days=60), datetime.time(9))
        )
        CatalogueRecord.objects.update(date_added=start - datetime.timedelta(days=90))
        fresh = rng.sample(ids, min(new_records, len(ids)))
        for index, pk in enumerate(fresh):
            CatalogueRecord.objects.filter(pk=pk).update(
                date_added=start + datetime.timedelta(days=index % 7)
            )
        subjects = list(Subject.objects.values_list("pk", flat=True))
        Subscriber.objects.all().delete()
        people = [
            Subscriber(
                email=f"subscriber{n}@bench.example.org",
                confirmed_at=confirmed,
                new_in_library=rng.random() < 0.5,
                caspar=rng.random() < 0.7,
                case_reviews=rng.random() < 0.3,
                nations=rng.sample(Nation.values, rng.choice([0, 0, 1, 2])),
            )
            for n in range(count)
        ]
        Subscriber.objects.bulk_create(people, batch_size=2000)
        people = list(Subscriber.objects.filter(caspar=True).values_list("pk", flat=True))
        through = Subscriber.topics.through
        through.objects.bulk_create(
            [
                through(subscriber_id=pk, subject_id=subject)
                for pk in people
                for subject in rng.sample(subjects, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        SavedSearch.objects.bulk_create(
            [
                SavedSearch(subscriber_id=pk, query=rng.choice(SEARCHES))
                for pk in people
                if rng.random() < 0.15
            ],
            batch_size=5000,
        )
        self.stdout.write(
            f"Created {count} subscribers and {len(fresh)} new records ({start} to {end}) "
            f"in {time.perf_counter() - started:.1f} s."
        )
