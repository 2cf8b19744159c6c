"""Pages that draw the learning out of case reviews: the learning home (with its year pages and
the recommendations audit), one page per UK nation, and thematic briefings with their
7-minute learning print view and PDF.

Every list of reviews comes from `learning.reviews`, which asks `library.visibility`.
"""

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from learning import reviews as review_lists
from library.charts import reviews_per_year, reviews_per_year_by_nation
from library.models import CaseReview, CatalogueRecord, Nation
from library.subject_chooser import SubjectChooserWidget
from library.visibility import as_audience, visible_pages
from readinglists.models import ReadingListPage

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
RECOMMENDATIONS_PER_PAGE = 50
THEME_REVIEWS_PER_PAGE = 50


class LearningIndexPage(RoutablePageMixin, Page):
    """ "Learning from case reviews": the nations, the briefings, a page per year of
    publication (`years/2016/`) and the recommendations across reviews (`recommendations/`)."""

    introduction = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["learning.NationPage", "learning.ThematicBriefingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("learning from case reviews home")

    @path("")
    def index(self, request):
        who = as_audience(request)
        return self.render(
            request,
            context_overrides={
                "nations": visible_pages(NationPage.objects.child_of(self), who).order_by("nation"),
                "briefings": visible_pages(
                    ThematicBriefingPage.objects.child_of(self), who
                ).order_by("title"),
                "years": review_lists.published_years(who),
                "chart": reviews_per_year_by_nation(
                    CaseReview.objects.visible_to(who),
                    _("Case reviews published each year, by nation"),
                ),
            },
        )

    @path("years/<int:year>/", name="year")
    def year(self, request, year: int):
        if not review_lists.EARLIEST_YEAR <= year <= review_lists.LATEST_YEAR:
            raise Http404
        who = as_audience(request)
        return TemplateResponse(
            request,
            "learning/year_page.html",
            {
                **self.get_context(request),
                "year": year,
                "reviews": review_lists.year_reviews(who, year),
                "years": review_lists.published_years(who),
            },
        )

    @path("recommendations/", name="recommendations")
    def recommendations(self, request):
        filters = review_lists.parse_filters(request.GET)
        audit = review_lists.recommendation_audit(as_audience(request), filters)
        paginator = Paginator(audit.recommendations, RECOMMENDATIONS_PER_PAGE)
        page_number = request.GET.get("page") or 1
        items = paginator.get_page(page_number)
        return TemplateResponse(
            request,
            "learning/recommendations.html",
            {
                **self.get_context(request),
                "filters": filters,
                "audit": audit,
                "items": items,
                "nations": Nation.choices,
            },
        )

    @path("recommendations/csv/", name="recommendations_csv")
    def recommendations_csv(self, request):
        filters = review_lists.parse_filters(request.GET)
        found = review_lists.recommendations_for(as_audience(request), filters)
        body = review_lists.recommendations_csv(
            found, lambda page: request.build_absolute_uri(page.url)
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="case-review-recommendations-{stamp}.csv"'
        )
        return response

    def year_url(self, year: int) -> str:
        return self.url + self.reverse_subpage("year", args=[year])

    def recommendations_url(self) -> str:
        return self.url + self.reverse_subpage("recommendations")


class NationPage(Page):
    """One UK nation's review process, in our words, and its reviews by year, newest first."""

    nation = models.CharField(_("nation"), max_length=20, choices=Nation.choices, unique=True)
    review_process = RichTextField(
        _("how reviews are carried out"),
        features=TEXT_FEATURES,
        help_text=_("The nation's review process in plain words: when a review is held, by whom."),
    )

    content_panels = [*Page.content_panels, FieldPanel("nation"), FieldPanel("review_process")]
    parent_page_types = ["learning.LearningIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("nation's case reviews")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["years"] = review_lists.nation_reviews(as_audience(request), self.nation)
        context["learning_home"] = self.get_parent().specific
        return context


class RecommendationBlock(blocks.StructBlock):
    """A practice recommendation, citing the case reviews it comes from."""

    text = blocks.TextBlock(label=_("Recommendation"))
    reviews = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="library.CaseReview"),
        required=False,
        default=[],
        label=_("Case reviews it comes from"),
    )

    class Meta:
        icon = "tick"
        label = _("Practice recommendation")


class ThematicBriefingPage(RoutablePageMixin, Page):
    """The learning on one theme of the thesaurus: summary, risk factors, recommendations, the
    reviews on the theme (narrower themes included) and further reading; `print/` is its
    7-minute learning sheet and `pdf/` the same as a PDF."""

    theme = models.ForeignKey(
        "library.Subject",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="briefings",
        help_text=_("Reviews on this theme, or on a narrower one, are listed automatically."),
    )
    summary = RichTextField(
        _("what happens in these cases"), features=TEXT_FEATURES, help_text=_("A summary.")
    )
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    risk_factors = StreamField(
        [("risk_factor", blocks.TextBlock(label=_("Risk factor")))],
        blank=True,
        verbose_name=_("key risk factors"),
    )
    recommendations = StreamField(
        [("recommendation", RecommendationBlock())],
        blank=True,
        verbose_name=_("practice recommendations"),
    )
    reflection_questions = models.TextField(
        _("questions for reflection"), blank=True, help_text=_("One question per line.")
    )
    # Page choosers, not a list of every record: the catalogue holds hundreds of thousands.
    further_reading = StreamField(
        [
            (
                "reading_list",
                blocks.PageChooserBlock(
                    page_type="readinglists.ReadingListPage", label=_("Reading list")
                ),
            ),
            (
                "publication",
                blocks.PageChooserBlock(
                    page_type="library.CatalogueRecord", label=_("Publication")
                ),
            ),
        ],
        blank=True,
        verbose_name=_("further reading"),
        help_text=_("Related reading lists and publications; hidden ones are left out."),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        default=timezone.localdate,
        help_text=_("Reviews on the theme added after this date are counted as new."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme", widget=SubjectChooserWidget),
        FieldPanel("summary"),
        FieldPanel("why_it_matters"),
        FieldPanel("risk_factors"),
        FieldPanel("recommendations"),
        FieldPanel("reflection_questions"),
        FieldPanel("further_reading"),
        FieldPanel("last_reviewed"),
    ]
    parent_page_types = ["learning.LearningIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("thematic briefing")

    # --- What the briefing shows ---------------------------------------------------------------

    def theme_reviews(self, who):
        """Reviews on the theme (narrower themes included) the caller may see, newest first."""
        return review_lists.newest_first(review_lists.reviews_on_theme(who, self.theme))

    def reviews_added_since_review(self, who=None) -> int:
        """How many reviews on the theme were added to the catalogue after the last review
        (counted among those `who` may see; None for the public)."""
        reviews = review_lists.reviews_on_theme(who, self.theme)
        return reviews.filter(date_added__gt=self.last_reviewed).count()

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.reflection_questions.splitlines() if line.strip()]

    def risk_factor_list(self) -> list[str]:
        return [str(block.value) for block in self.risk_factors]

    def recommendation_list(self, who) -> list[tuple[str, list]]:
        """(text, cited reviews the caller may see) for each recommendation."""
        cited_ids = {
            page.pk
            for block in self.recommendations
            for page in block.value["reviews"]
            if page is not None
        }
        visible = {
            review.pk: review
            for review in CaseReview.objects.visible_to(who).filter(pk__in=cited_ids)
        }
        return [
            (
                block.value["text"],
                [
                    visible[page.pk]
                    for page in block.value["reviews"]
                    if page is not None and page.pk in visible
                ],
            )
            for block in self.recommendations
        ]

    def further_reading_for(self, who) -> tuple[list, list]:
        """(reading lists, publications) the caller may see."""
        chosen = {"reading_list": [], "publication": []}
        for block in self.further_reading:
            if block.value is not None:
                chosen[block.block_type].append(block.value.pk)
        lists = {
            page.pk: page
            for page in visible_pages(
                ReadingListPage.objects.filter(pk__in=chosen["reading_list"]), who
            )
        }
        records = {
            page.pk: page
            for page in CatalogueRecord.objects.visible_to(who).filter(pk__in=chosen["publication"])
        }
        return (
            [lists[pk] for pk in chosen["reading_list"] if pk in lists],
            [records[pk] for pk in chosen["publication"] if pk in records],
        )

    def sheet_context(self, request) -> dict:
        """What the page, the print view and the PDF share."""
        who = as_audience(request)
        reading_lists, records = self.further_reading_for(who)
        return {
            "risk_factors": self.risk_factor_list(),
            "recommendation_items": self.recommendation_list(who),
            "questions": self.question_list(),
            "reading_lists": reading_lists,
            "further_records": records,
            "added_since": self.reviews_added_since_review(who),
        }

    # --- Routes --------------------------------------------------------------------------------

    @path("")
    def briefing(self, request):
        who = as_audience(request)
        filters = review_lists.parse_filters(request.GET)
        all_on_theme = self.theme_reviews(who)
        shown = filters.apply(all_on_theme)
        paginator = Paginator(shown, THEME_REVIEWS_PER_PAGE)
        return self.render(
            request,
            context_overrides={
                **self.sheet_context(request),
                "filters": filters,
                "theme_reviews": paginator.get_page(request.GET.get("page") or 1),
                "nations": Nation.choices,
                "review_years": sorted(
                    {
                        year
                        for year in all_on_theme.values_list("publication_year", flat=True)
                        if year
                    },
                    reverse=True,
                ),
                "chart": reviews_per_year(
                    all_on_theme,
                    _("Case reviews on %(theme)s published each year") % {"theme": self.theme},
                ),
            },
        )

    @path("print/", name="print")
    def print_view(self, request):
        return TemplateResponse(
            request,
            "learning/briefing_print.html",
            {
                **self.get_context(request),
                **self.sheet_context(request),
                "full_url": request.build_absolute_uri(self.url),
            },
        )

    @path("pdf/", name="pdf")
    def pdf_view(self, request):
        from learning.seven_minute import seven_minute_pdf

        sheet = self.sheet_context(request)
        body = seven_minute_pdf(self, sheet, request.build_absolute_uri(self.url))
        response = HttpResponse(body, content_type="application/pdf")
        filename = slugify(f"7-minute-learning-{self.title}")[:80] or "7-minute-learning"
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response

    def print_url(self) -> str:
        return self.url + self.reverse_subpage("print")

    def pdf_url(self) -> str:
        return self.url + self.reverse_subpage("pdf")


def all_added_since(briefing: ThematicBriefingPage) -> int:
    """Live reviews on the briefing's theme added since its last review, restricted or not."""
    ids = review_lists.theme_ids(briefing.theme)
    return (
        CaseReview.objects.live()
        .filter(
            models.Q(themes__in=ids) | models.Q(subjects__in=ids),
            date_added__gt=briefing.last_reviewed,
        )
        .distinct()
        .count()
    )
