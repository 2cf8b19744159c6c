"""Statistics for the Information Service: volumes and times, from anonymous fields only."""

import csv
import datetime
import io
import statistics
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth

from enquiries.models import Enquiry, Profession


@dataclass
class EnquiryStatistics:
    total: int
    per_month: list[tuple[datetime.date, int]]
    by_profession: list[tuple[str, int]]
    by_topic: list[tuple[str, int]]
    median_first_reply: datetime.timedelta | None
    median_close: datetime.timedelta | None


def median_duration(pairs) -> datetime.timedelta | None:
    """The median of end − start over the pairs that have both ends."""
    durations = [end - start for start, end in pairs if start and end]
    return statistics.median(durations) if durations else None


def enquiry_statistics(enquiries=None) -> EnquiryStatistics:
    """Counts per month, profession and topic, and median times to first reply and to close."""
    enquiries = Enquiry.objects.all() if enquiries is None else enquiries
    enquiries = enquiries.order_by()
    per_month = [
        (row["month"].date() if hasattr(row["month"], "date") else row["month"], row["count"])
        for row in enquiries.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    ]
    labels = dict(Profession.choices)
    by_profession = [
        (str(labels.get(row["profession"], row["profession"])), row["count"])
        for row in enquiries.values("profession").annotate(count=Count("pk")).order_by("-count")
    ]
    by_topic = [
        (row["topic"] or "(none given)", row["count"])
        for row in enquiries.values("topic").annotate(count=Count("pk")).order_by("-count", "topic")
    ]
    return EnquiryStatistics(
        total=enquiries.count(),
        per_month=per_month,
        by_profession=by_profession,
        by_topic=by_topic,
        median_first_reply=median_duration(
            enquiries.values_list("received_at", "first_replied_at")
        ),
        median_close=median_duration(enquiries.values_list("received_at", "closed_at")),
    )


def hours(duration: datetime.timedelta | None) -> str:
    """A duration in hours to one decimal place, or empty."""
    return "" if duration is None else f"{duration.total_seconds() / 3600:.1f}"


def statistics_csv(stats: EnquiryStatistics) -> str:
    """The statistics as one CSV table of (measure, group, value) rows."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["measure", "group", "value"])
    writer.writerow(["enquiries", "all", stats.total])
    for month, count in stats.per_month:
        writer.writerow(["enquiries per month", month.strftime("%Y-%m"), count])
    for profession, count in stats.by_profession:
        writer.writerow(["enquiries by profession", profession, count])
    for topic, count in stats.by_topic:
        writer.writerow(["enquiries by topic", topic, count])
    writer.writerow(["median hours to first reply", "all", hours(stats.median_first_reply)])
    writer.writerow(["median hours to close", "all", hours(stats.median_close)])
    return output.getvalue()
