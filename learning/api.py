"""The learning router of the partner API, mounted at /api/v3/learning/: thematic briefings,
each nation's reviews by year, and recommendations across reviews.

Every list comes from `learning.reviews` and the briefing's own methods, which ask
`library.visibility`, so a restricted review is left out here as on the pages; answers are
validated by ETag (they differ by caller) with the plumbing's conditional-request rules.
"""

import datetime
from typing import Literal

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from learning import reviews as review_lists
from learning.models import NationPage, ThematicBriefingPage
from library.api.catalogue import SubjectKey
from library.api.plumbing import (
    MAX_ID,
    Pagination,
    absolute,
    documented,
    index_version,
    not_found,
    not_modified,
    page_url,
    record_api_url,
    validators,
)
from library.models import Nation, Subject
from library.record_details import SubjectRef, rich_text, subject_ref
from library.visibility import as_audience, visible_pages

router = Router(tags=["learning from case reviews"])

NationValue = Literal[tuple(Nation.values)]  # ty: ignore[invalid-type-form]


class ReviewRef(Schema):
    id: int
    title: str
    url: str
    api_url: str


class YearlyEntry(ReviewRef):
    published: str = Field(..., description='"March 2016", or the year alone.')
    year: int | None
    month: int | None
    nation: str
    board: str
    child_pseudonym: str
    circumstances: str
    background: str
    learning: list[str]
    model: str = Field(..., description="The review model's name, or empty.")
    keywords: list[str]
    overview_report_url: str = Field(..., description="The overview report (or summary), or empty.")


class ReviewYear(Schema):
    year: int | None
    reviews: list[YearlyEntry]


class NationList(Schema):
    nation: str
    name: str
    review_process: str = Field(..., description="HTML, from the nation's page (or empty).")
    url: str = Field(..., description="The nation's page on the site (or empty).")
    years: list[ReviewYear]


class BriefingSummary(Schema):
    id: int
    title: str
    theme: SubjectRef
    last_reviewed: datetime.date
    reviews_added_since: int = Field(
        ..., description="Reviews on the theme the caller may see added since last reviewed."
    )
    url: str
    print_url: str
    pdf_url: str


class BriefingList(Schema):
    count: int
    items: list[BriefingSummary]


class BriefingRecommendation(Schema):
    text: str
    reviews: list[ReviewRef]


class ReadingRef(Schema):
    id: int
    title: str
    url: str


class YearCount(Schema):
    year: int
    count: int


class BriefingDetail(BriefingSummary):
    summary: str = Field(..., description="HTML.")
    why_it_matters: str
    risk_factors: list[str]
    recommendations: list[BriefingRecommendation]
    questions_for_reflection: list[str]
    reading_lists: list[ReadingRef]
    publications: list[ReadingRef]
    reviews_on_theme: int = Field(..., description="Narrower themes included.")
    reviews_per_year: list[YearCount]
    last_published_at: datetime.datetime | None


class RecommendationItem(Schema):
    text: str
    agency: str
    review: ReviewRef
    nation: str
    year: int | None
    themes: list[SubjectRef]


class FacetCount(Schema):
    key: str
    label: str
    count: int


class RecommendationList(Schema):
    count: int
    items: list[RecommendationItem]
    by_theme: list[FacetCount]
    by_agency: list[FacetCount]
    by_nation: list[FacetCount]
    by_year: list[FacetCount]


class RecommendationQuery(Pagination):
    theme: SubjectKey | None = Field(None, description="A theme by slug; narrower ones included.")
    agency: int | None = Field(None, ge=1, le=MAX_ID, description="An agency by id.")
    nation: NationValue | None = None
    year: int | None = Field(
        None, ge=review_lists.EARLIEST_YEAR, le=review_lists.LATEST_YEAR, description="Year."
    )


def review_ref(request: HttpRequest, review) -> dict:
    return {
        "id": review.pk,
        "title": review.title,
        "url": page_url(request, review),
        "api_url": record_api_url(request, review.pk),
    }


def yearly_entry(request: HttpRequest, review) -> dict:
    report = review.overview_report()
    return {
        **review_ref(request, review),
        "published": review.published_display(),
        "year": review.publication_year,
        "month": review.publication_month,
        "nation": review.nation,
        "board": str(review.board or ""),
        "child_pseudonym": review.child_pseudonym,
        "circumstances": review.circumstances,
        "background": review.background,
        "learning": [point.text for point in review.learning_points.all()],
        "model": review.get_methodology_display() if review.methodology else "",
        "keywords": [theme.name for theme in review.themes.all()]
        + [keyword.name for keyword in review.keywords.all()],
        "overview_report_url": absolute(request, report.document.url)
        if report and review.documents_online()
        else "",
    }


def visible_briefings(request):
    return visible_pages(ThematicBriefingPage.objects.all(), request).order_by("title", "pk")


def briefing_summary(request: HttpRequest, briefing: ThematicBriefingPage) -> dict:
    return {
        "id": briefing.pk,
        "title": briefing.title,
        "theme": subject_ref(briefing.theme),
        "last_reviewed": briefing.last_reviewed,
        "reviews_added_since": briefing.reviews_added_since_review(as_audience(request)),
        "url": page_url(request, briefing),
        "print_url": page_url(request, briefing) + "print/",
        "pdf_url": page_url(request, briefing) + "pdf/",
    }


@router.get(
    "/briefings",
    response={200: BriefingList, 304: None},
    url_name="learning_briefings",
    operation_id="learning_briefings",
    summary="Thematic briefings",
    description="Published thematic briefings the caller may see, by title.",
    openapi_extra=documented(422),
)
def briefings(request, response: HttpResponse, query: Pagination = Query(...)):  # noqa: B008
    found = visible_briefings(request)
    summary = found.aggregate(count=Count("pk"), changed=Max("last_published_at"))
    checked = validators(
        request, "briefings", summary["count"], summary["changed"], index_version(request)
    )
    if (unchanged := not_modified(request, response, checked)) is not None:
        return unchanged
    chosen = found.select_related("theme")[query.offset : query.offset + query.limit]
    return {"count": summary["count"], "items": [briefing_summary(request, b) for b in chosen]}


@router.get(
    "/briefings/{briefing_id}",
    response={200: BriefingDetail, 304: None},
    url_name="learning_briefing",
    operation_id="learning_briefing",
    summary="A thematic briefing",
    description="The briefing's sections, the reviews it cites and further reading the caller "
    "may see, and how many reviews on its theme there are per year.",
    openapi_extra=documented(404, 422),
)
def briefing(request, response: HttpResponse, briefing_id: int = Path(..., ge=1, le=MAX_ID)):
    found = visible_briefings(request).filter(pk=briefing_id).select_related("theme").first()
    if found is None:
        raise not_found(_("briefing"))
    checked = validators(
        request, "briefing", found.pk, found.last_published_at, index_version(request)
    )
    if (unchanged := not_modified(request, response, checked)) is not None:
        return unchanged
    who = as_audience(request)
    reading_lists, records = found.further_reading_for(who)
    on_theme = found.theme_reviews(who)
    per_year = (
        on_theme.exclude(publication_year=None)
        .order_by()
        .values_list("publication_year")
        .annotate(n=Count("pk", distinct=True))
        .order_by("publication_year")
    )
    return {
        **briefing_summary(request, found),
        "summary": rich_text(found.summary),
        "why_it_matters": found.why_it_matters,
        "risk_factors": found.risk_factor_list(),
        "recommendations": [
            {"text": text, "reviews": [review_ref(request, review) for review in cited]}
            for text, cited in found.recommendation_list(who)
        ],
        "questions_for_reflection": found.question_list(),
        "reading_lists": [
            {"id": item.pk, "title": item.title, "url": page_url(request, item)}
            for item in reading_lists
        ],
        "publications": [
            {"id": item.pk, "title": item.title, "url": page_url(request, item)} for item in records
        ],
        "reviews_on_theme": on_theme.count(),
        "reviews_per_year": [{"year": year, "count": n} for year, n in per_year],
        "last_published_at": found.last_published_at,
    }


@router.get(
    "/nations/{nation}",
    response={200: NationList, 304: None},
    url_name="learning_nation",
    operation_id="learning_nation",
    summary="A nation's case reviews by year",
    description="The nation's reviews the caller may see, by year of publication, newest "
    "first, with the fields of the repository's yearly lists.",
    openapi_extra=documented(422),
)
def nation_list(request, response: HttpResponse, nation: NationValue = Path(...)):  # noqa: B008
    checked = validators(request, "nation", nation, index_version(request))
    if (unchanged := not_modified(request, response, checked)) is not None:
        return unchanged
    page = visible_pages(NationPage.objects.filter(nation=nation), request).first()
    return {
        "nation": nation,
        "name": str(Nation(nation).label),
        "review_process": rich_text(page.review_process) if page else "",
        "url": page_url(request, page) if page else "",
        "years": [
            {"year": group.year, "reviews": [yearly_entry(request, r) for r in group.reviews]}
            for group in review_lists.nation_reviews(as_audience(request), nation)
        ],
    }


@router.get(
    "/recommendations",
    response={200: RecommendationList, 304: None},
    url_name="learning_recommendations",
    operation_id="learning_recommendations",
    summary="Recommendations across case reviews",
    description="Recommendations of the reviews the caller may see, newest review first, "
    "with counts by theme, agency, nation and year for the same choice.",
    openapi_extra=documented(404, 422),
)
def recommendations(
    request,
    response: HttpResponse,
    query: RecommendationQuery = Query(...),  # noqa: B008
):
    checked = validators(request, "recommendations", index_version(request))
    if (unchanged := not_modified(request, response, checked)) is not None:
        return unchanged
    theme = None
    if query.theme:
        theme = Subject.objects.filter(slug=query.theme).first()
        if theme is None:
            raise not_found(_("theme"))
    filters = review_lists.ReviewFilters(
        nation=query.nation or "", year=query.year, theme=theme, agency_id=query.agency
    )
    audit = review_lists.recommendation_audit(as_audience(request), filters)
    chosen = audit.recommendations[query.offset : query.offset + query.limit]
    return {
        "count": audit.count,
        "items": [
            {
                "text": item.text,
                "agency": str(item.agency or ""),
                "review": review_ref(request, item.review),
                "nation": item.review.nation,
                "year": item.review.publication_year,
                "themes": [subject_ref(t) for t in item.review.themes.all()],
            }
            for item in chosen
        ],
        "by_theme": [{"key": s.slug, "label": s.name, "count": n} for s, n in audit.by_theme],
        "by_agency": [{"key": str(a.pk), "label": a.name, "count": n} for a, n in audit.by_agency],
        "by_nation": [
            {"key": value, "label": label, "count": n} for value, label, n in audit.by_nation
        ],
        "by_year": [{"key": str(y), "label": str(y), "count": n} for y, n in audit.by_year],
    }
