"""Case reviews as the learning pages list them: by nation and year, by theme, and their
recommendations, always through `library.visibility` (a restricted review is never listed to
anyone not allowed)."""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from library.models import Agency, CaseReview, Nation, Recommendation, RecordDocument, Subject

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def visible_reviews(who) -> QuerySet:
    """Live case reviews the caller may see, with what a yearly list shows fetched in bulk."""
    return (
        CaseReview.objects.visible_to(who)
        .select_related("board")
        .prefetch_related(
            "learning_points",
            "themes",
            "keywords",
            Prefetch(
                "attached_documents",
                queryset=RecordDocument.objects.select_related("document"),
            ),
        )
    )


def newest_first(reviews: QuerySet) -> QuerySet:
    """Newest publication first; reviews without a month after those with one in that year."""
    return reviews.order_by(
        F("publication_year").desc(nulls_last=True),
        F("publication_month").desc(nulls_last=True),
        "-date_added",
        "pk",
    )


def chronological(reviews: QuerySet) -> QuerySet:
    """In order of publication within a year (January first; month unknown last)."""
    return reviews.order_by(
        F("publication_month").asc(nulls_last=True), "board__name", "title", "pk"
    )


@dataclass
class YearOfReviews:
    year: int | None
    reviews: list


def by_year(reviews) -> list[YearOfReviews]:
    """Reviews (already in order) grouped by year of publication, keeping their order."""
    years: list[YearOfReviews] = []
    for review in reviews:
        if not years or years[-1].year != review.publication_year:
            years.append(YearOfReviews(review.publication_year, []))
        years[-1].reviews.append(review)
    return years


def nation_reviews(who, nation: str) -> list[YearOfReviews]:
    """A nation's reviews the caller may see, by year, newest first."""
    return by_year(newest_first(visible_reviews(who).filter(nation=nation)))


def year_reviews(who, year: int) -> list:
    """The caller's visible reviews published in `year`, across nations, in order."""
    return list(chronological(visible_reviews(who).filter(publication_year=year)))


def published_years(who) -> list[int]:
    """Years with at least one review the caller may see, newest first."""
    return list(
        CaseReview.objects.visible_to(who)
        .exclude(publication_year=None)
        .order_by("-publication_year")
        .values_list("publication_year", flat=True)
        .distinct()
    )


def theme_ids(theme: Subject | None) -> set[int]:
    """The theme and every narrower term below it."""
    if theme is None:
        return set()
    return Subject.objects.with_narrower([theme.pk])


def reviews_on_theme(who, theme: Subject | None) -> QuerySet:
    """Reviews the caller may see on the theme or a narrower one (by review theme or record
    subject), each once."""
    ids = theme_ids(theme)
    if not ids:
        return CaseReview.objects.none()
    on_theme = CaseReview.objects.filter(Q(themes__in=ids) | Q(subjects__in=ids)).values("pk")
    return visible_reviews(who).filter(pk__in=on_theme)


# --- Filters typed by readers ------------------------------------------------------------------


@dataclass
class ReviewFilters:
    """Nation and year as a reader chose them, with a message for anything not understood."""

    nation: str = ""
    year: int | None = None
    theme: Subject | None = None
    agency_id: int | None = None
    messages: tuple[str, ...] = ()

    def apply(self, reviews: QuerySet, prefix: str = "") -> QuerySet:
        if self.nation:
            reviews = reviews.filter(**{f"{prefix}nation": self.nation})
        if self.year is not None:
            reviews = reviews.filter(**{f"{prefix}publication_year": self.year})
        return reviews

    def query_string(self, **changes) -> str:
        from django.http import QueryDict

        values = {
            "nation": self.nation,
            "year": self.year or "",
            "theme": self.theme.slug if self.theme else "",
            "agency": self.agency_id or "",
        }
        values.update(changes)
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value not in ("", None):
                query[key] = str(value)
        return query.urlencode()


def parse_filters(data) -> ReviewFilters:
    """Nation, year, theme and agency from a query string; bad values become messages and
    are ignored, never an error page."""
    messages = []
    nation = (data.get("nation") or "").strip()
    if nation and nation not in Nation.values:
        messages.append(
            _("There is no nation called “%(value)s”; showing every nation.")
            % {"value": nation[:40]}
        )
        nation = ""
    year = None
    raw_year = (data.get("year") or "").strip()
    if raw_year:
        if raw_year.isdigit() and EARLIEST_YEAR <= int(raw_year) <= LATEST_YEAR:
            year = int(raw_year)
        else:
            messages.append(
                _("“%(value)s” is not a year between %(first)s and %(last)s; showing every year.")
                % {"value": raw_year[:20], "first": EARLIEST_YEAR, "last": LATEST_YEAR}
            )
    theme = None
    raw_theme = (data.get("theme") or "").strip()
    if raw_theme:
        theme = Subject.objects.filter(slug=raw_theme[:140]).first()
        if theme is None:
            messages.append(
                _("There is no theme “%(value)s”; showing every theme.") % {"value": raw_theme[:60]}
            )
    agency_id = None
    raw_agency = (data.get("agency") or "").strip()
    if raw_agency:
        if raw_agency.isdigit() and int(raw_agency) < 2**31:
            agency_id = int(raw_agency)
        else:
            messages.append(_("That agency is not known; showing every agency."))
    return ReviewFilters(nation, year, theme, agency_id, tuple(str(m) for m in messages))


# --- Recommendations across reviews ------------------------------------------------------------


@dataclass
class RecommendationAudit:
    """Recommendations of the reviews a caller may see, filtered, with counts by facet."""

    recommendations: QuerySet
    by_theme: list[tuple[Subject, int]]
    by_agency: list[tuple[object, int]]
    by_nation: list[tuple[str, str, int]]
    by_year: list[tuple[int, int]]

    @property
    def count(self) -> int:
        return self.recommendations.count()


def recommendations_for(who, filters: ReviewFilters) -> QuerySet:
    """Recommendations of visible reviews matching the filters, newest review first."""
    reviews = filters.apply(CaseReview.objects.visible_to(who))
    if filters.theme is not None:
        reviews = reviews.filter(themes__in=theme_ids(filters.theme))
    found = Recommendation.objects.filter(review__in=reviews.values("pk"))
    if filters.agency_id is not None:
        found = found.filter(agency_id=filters.agency_id)
    return (
        found.select_related("review", "review__board", "agency")
        .prefetch_related("review__themes")
        .order_by(
            F("review__publication_year").desc(nulls_last=True),
            F("review__publication_month").desc(nulls_last=True),
            "review__title",
            "review_id",
            "sort_order",
            "pk",
        )
    )


def recommendation_audit(who, filters: ReviewFilters) -> RecommendationAudit:
    """The filtered recommendations and how many there are by theme, agency, nation and year."""
    found = recommendations_for(who, filters)
    plain = found.order_by()
    theme_counts = Counter(
        dict(
            plain.exclude(review__themes=None)
            .values_list("review__themes")
            .annotate(n=Count("pk", distinct=True))
        )
    )
    themes = {s.pk: s for s in Subject.objects.filter(pk__in=theme_counts)}
    agency_rows = plain.exclude(agency=None).values_list("agency").annotate(n=Count("pk"))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=[pk for pk, _n in agency_rows])}
    nation_rows = dict(plain.values_list("review__nation").annotate(n=Count("pk")))
    year_rows = (
        plain.exclude(review__publication_year=None)
        .values_list("review__publication_year")
        .annotate(n=Count("pk"))
        .order_by("-review__publication_year")
    )
    return RecommendationAudit(
        recommendations=found,
        by_theme=sorted(
            ((themes[pk], n) for pk, n in theme_counts.items()), key=lambda t: (-t[1], t[0].name)
        ),
        by_agency=sorted(
            ((agencies[pk], n) for pk, n in agency_rows), key=lambda t: (-t[1], t[0].name)
        ),
        by_nation=[
            (value, str(label), nation_rows[value])
            for value, label in Nation.choices
            if nation_rows.get(value)
        ],
        by_year=list(year_rows),
    )


CSV_HEADINGS = [
    "Year",
    "Month",
    "Nation",
    "Safeguarding board or partnership",
    "Case review",
    "Review address",
    "Themes",
    "Addressed to",
    "Recommendation",
]


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def recommendations_csv(recommendations, absolute_url) -> str:
    """The recommendations as CSV, one row each (`absolute_url(page)` gives each review's
    address)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADINGS)
    for item in recommendations:
        review = item.review
        writer.writerow(
            [
                review.publication_year or "",
                review.get_publication_month_display() or "",
                review.get_nation_display(),
                spreadsheet_safe(str(review.board or "")),
                spreadsheet_safe(review.title),
                absolute_url(review),
                spreadsheet_safe("; ".join(theme.name for theme in review.themes.all())),
                spreadsheet_safe(str(item.agency or "")),
                spreadsheet_safe(item.text),
            ]
        )
    return out.getvalue()
