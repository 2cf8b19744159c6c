"""Demo content for current awareness: the archive at /current-awareness/ with the sign-up
link, and one past issue of each service covering the latest additions, so the archive, an
issue page and its Atom feed show real records from the first `make run`."""

import datetime

from currentawareness.choices import MONTHLY, Service
from currentawareness.models import DigestArchivePage, DigestIssuePage
from demo.content.site import add_navigation_link, get_or_create_child
from home.models import HomePage
from library.models import CaseReview, CatalogueRecord
from library.visibility import audience_for

INTRODUCTIONS = {
    Service.NEW_IN_LIBRARY: "<p>This week's additions to the library, chosen for practitioners "
    "across health, social care, education and policing.</p>",
    Service.CASE_REVIEWS: "<p>Case reviews newly added to the national repository this month, "
    "with the learning they draw.</p>",
}


def latest_period(service: str) -> tuple[datetime.date, datetime.date] | None:
    """The week (or month, for the monthly update) of the newest public addition."""
    records = CatalogueRecord.objects.visible_to(audience_for(None))
    if service == Service.CASE_REVIEWS:
        records = CaseReview.objects.visible_to(audience_for(None))
    newest = records.order_by("-date_added").values_list("date_added", flat=True).first()
    if newest is None:
        return None
    if service in MONTHLY:
        start = newest.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    start = newest - datetime.timedelta(days=newest.weekday())
    return start, start + datetime.timedelta(days=6)


def load_demo_content(home: HomePage) -> None:
    archive = get_or_create_child(
        home,
        DigestArchivePage,
        "current-awareness",
        title="Current awareness",
        introduction=(
            "<p>Keep up with new research, policy and practice: <b>New in the Library</b> every "
            "week, <b>CASPAR</b> alerts on the topics you choose, and the monthly <b>Case "
            "reviews update</b>. Free, by email, and you can stop at any time.</p>"
        ),
    )
    add_navigation_link("Current awareness", archive)
    for service, introduction in INTRODUCTIONS.items():
        period = latest_period(service)
        if period is None:
            continue
        start, end = period
        get_or_create_child(
            archive,
            DigestIssuePage,
            f"{service}-{start.isoformat()}",
            title=DigestIssuePage.default_title(service, start, end),
            service=service,
            period_start=start,
            period_end=end,
            introduction=introduction,
        )
