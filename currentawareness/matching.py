"""What goes in each digest: the public records new in a period, and the rules that pick a
subscriber's share of them.

Records come only from `CatalogueRecord.objects.visible_to(None)` (the public audience) and
saved searches only through `search_catalogue(params, None)`, so a restricted record never
reaches an email.
"""

import datetime
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Site

from currentawareness.choices import Service
from currentawareness.links import site_base_url
from library.models import CaseReview, CatalogueRecord, Subject
from library.search.params import parse_search_params
from library.search.service import search_catalogue
from library.visibility import audience_for

SUMMARY_WORDS = 60
# How many of a saved search's newest matches are compared with the period's new records.
SAVED_SEARCH_DEPTH = 1000
RECOMMENDATIONS_SHOWN = 3


@dataclass
class Item:
    """One new record as a digest shows it."""

    pk: int
    title: str
    url: str
    record_type: str
    record_type_label: str
    nation: str
    date_added: datetime.date
    summary: str
    subject_ids: frozenset[int]
    is_case_review: bool = False
    year: int | None = None
    board: str = ""
    child_pseudonym: str = ""
    themes: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


def plain_summary(html: str) -> str:
    return Truncator(strip_tags(html or "").strip()).words(SUMMARY_WORDS)


def site_links():
    """(base URL, root path) of the public site: records' addresses in emails are absolute."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site_base_url(), site.root_page.url_path if site else "/"


def absolute_url(page, links) -> str:
    base, root_path = links
    path = page.url_path
    if path.startswith(root_path):
        path = "/" + path[len(root_path) :]
    return base + path


def new_public_items(since: datetime.date, until: datetime.date, links) -> list[Item]:
    """The records added from `since` to `until` (inclusive) that the public may see."""
    records = (
        CatalogueRecord.objects.visible_to(audience_for(None))
        .filter(date_added__gte=since, date_added__lte=until)
        .order_by("-date_added", "title", "pk")
        .prefetch_related("subjects")
    )
    reviews = {
        review.pk: review
        for review in CaseReview.objects.filter(pk__in=records.values("pk"))
        .select_related("board")
        .prefetch_related("themes", "recommendations")
    }
    items = []
    for record in records:
        review = reviews.get(record.pk)
        subject_ids = {subject.pk for subject in record.subjects.all()}
        item = Item(
            pk=record.pk,
            title=record.title,
            url=absolute_url(record, links),
            record_type=record.record_type,
            record_type_label=str(record.get_record_type_display()),
            nation=record.nation,
            date_added=record.date_added,
            summary=plain_summary(record.abstract),
            subject_ids=frozenset(subject_ids),
        )
        if review is not None:
            themes = list(review.themes.all())
            item.subject_ids = frozenset(subject_ids | {theme.pk for theme in themes})
            item.is_case_review = True
            item.year = review.publication_year
            item.board = review.board.name if review.board_id else ""
            # The case review fields of issue 15; empty where a review does not have them.
            item.child_pseudonym = getattr(review, "child_pseudonym", "") or ""
            item.summary = getattr(review, "circumstances", "") or item.summary
            item.themes = [theme.name for theme in themes]
            item.recommendations = [
                rec.text for rec in list(review.recommendations.all())[:RECOMMENDATIONS_SHOWN]
            ]
        items.append(item)
    return items


class SavedSearchHits:
    """The ids each saved search finds, searched once per run however many subscribers share
    it, for the public audience."""

    def __init__(self, candidate_ids: set[int]):
        self.candidate_ids = candidate_ids
        self.found: dict[str, set[int]] = {}

    def __call__(self, query: str) -> set[int]:
        if query not in self.found:
            params = parse_search_params(QueryDict(query))
            params.offset, params.limit, params.sort = 0, SAVED_SEARCH_DEPTH, "newest"
            results = search_catalogue(params, audience_for(None))
            self.found[query] = {hit.record.pk for hit in results.hits} & self.candidate_ids
        return self.found[query]


@dataclass(frozen=True)
class Choices:
    """A subscriber's choices for one service, as matching needs them (hashable: subscribers
    with the same choices share one result)."""

    topic_ids: frozenset[int] = frozenset()
    nations: frozenset[str] = frozenset()
    record_types: frozenset[str] = frozenset()
    searches: tuple[str, ...] = ()


def expanded_topics(topic_ids) -> frozenset[int]:
    """The topics and every narrower term below them: a narrower term counts toward its
    broader one."""
    return frozenset(Subject.objects.with_narrower(topic_ids)) if topic_ids else frozenset()


def matching_items(
    service: str,
    items: list[Item],
    since: datetime.date,
    choices: Choices,
    search_hits: SavedSearchHits | None = None,
) -> list[Item]:
    """The items for one subscriber: each record once, however many topics or searches it
    matches, and only those added since `since`."""
    fresh = [item for item in items if item.date_added >= since]
    if service == Service.NEW_IN_LIBRARY:
        return [item for item in fresh if not item.is_case_review]
    if service == Service.CASE_REVIEWS:
        return [item for item in fresh if item.is_case_review]
    found: set[int] = set()
    for query in choices.searches:
        found |= search_hits(query) if search_hits else set()
    chosen = []
    for item in fresh:
        by_topic = bool(item.subject_ids & choices.topic_ids)
        # A record about no nation in particular concerns every nation.
        by_nation = not choices.nations or not item.nation or item.nation in choices.nations
        by_type = not choices.record_types or item.record_type in choices.record_types
        if (by_topic and by_nation and by_type) or item.pk in found:
            chosen.append(item)
    return chosen
