"""The figures staff see: subscribers per service and topic, sends per issue, and sign-ups,
confirmations, unsubscriptions and bounces per month (with a chart drawn on the server)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from currentawareness.choices import EventKind, Service
from currentawareness.models import DigestDelivery, Subscriber, SubscriptionEvent

MONTHS_SHOWN = 12
CHART_KINDS = (EventKind.CONFIRMED, EventKind.UNSUBSCRIBED, EventKind.BOUNCED)
CHART_HEIGHT = 160
BAR_WIDTH = 10
GROUP_GAP = 12


@dataclass
class Bar:
    kind: str
    count: int
    x: int
    y: int
    height: int


def months_back(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def per_service() -> list[tuple[str, int, int]]:
    """(service label, confirmed receiving, waiting for confirmation) per service."""
    rows = []
    for service in Service:
        field = Subscriber.SERVICE_FIELDS[service]
        waiting = Subscriber.objects.filter(confirmed_at__isnull=True, **{field: True}).count()
        rows.append((service.label, Subscriber.objects.receiving(service).count(), waiting))
    return rows


def per_topic(limit: int = 30) -> list[tuple[str, int]]:
    """CASPAR topics by how many receiving subscribers chose them."""
    through = Subscriber.topics.through
    rows = (
        through.objects.filter(
            subscriber__in=Subscriber.objects.receiving(Service.CASPAR).values("pk")
        )
        .values("subject__name")
        .annotate(count=Count("subscriber", distinct=True))
        .order_by("-count", "subject__name")[:limit]
    )
    return [(row["subject__name"], row["count"]) for row in rows]


def per_issue(limit: int = 20) -> list[dict]:
    """Sends per issue, newest first."""
    return list(
        DigestDelivery.objects.values("issue__title", "issue__period_end")
        .annotate(
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            waiting=Count("pk", filter=Q(sent_at__isnull=True, cancelled_at__isnull=True)),
            nothing_new=Count("pk", filter=Q(last_error="nothing new")),
            stopped=Count(
                "pk",
                filter=Q(cancelled_at__isnull=False) & ~Q(last_error="nothing new"),
            ),
        )
        .order_by("-issue__period_end", "issue__title")[:limit]
    )


def per_month(today: datetime.date | None = None) -> list[dict]:
    """Events per month for the last twelve months, oldest first."""
    months = months_back(today or timezone.localdate(), MONTHS_SHOWN)
    counts = {
        (row["month"].date() if hasattr(row["month"], "date") else row["month"], row["kind"]): row[
            "count"
        ]
        for row in SubscriptionEvent.objects.filter(at__date__gte=months[0])
        .annotate(month=TruncMonth("at"))
        .values("month", "kind")
        .annotate(count=Count("pk"))
    }
    return [
        {"month": month, **{kind.value: counts.get((month, kind.value), 0) for kind in EventKind}}
        for month in months
    ]


def chart(rows: list[dict]) -> dict:
    """Bar geometry for the SVG chart of confirmations, unsubscriptions and bounces."""
    peak = max([row[kind.value] for row in rows for kind in CHART_KINDS] + [1])
    group = BAR_WIDTH * len(CHART_KINDS) + GROUP_GAP
    groups = []
    for index, row in enumerate(rows):
        bars = []
        for offset, kind in enumerate(CHART_KINDS):
            height = round(row[kind.value] / peak * CHART_HEIGHT)
            bars.append(
                Bar(
                    kind=kind.value,
                    count=row[kind.value],
                    x=40 + index * group + offset * BAR_WIDTH,
                    y=10 + CHART_HEIGHT - height,
                    height=height,
                )
            )
        groups.append({"month": row["month"], "bars": bars, "label_x": 40 + index * group})
    return {
        "groups": groups,
        "width": 40 + len(rows) * group + 10,
        "height": CHART_HEIGHT + 40,
        "baseline": 10 + CHART_HEIGHT,
        "label_y": CHART_HEIGHT + 28,
        "peak": peak,
        "kinds": [(kind.value, kind.label) for kind in CHART_KINDS],
    }
