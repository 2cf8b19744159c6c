"""Section pages of the catalogue: the library home and the case review repository.

Both show browse links and recent records, and become search result pages when the query
string carries a query or a filter (`/library/?subject=neglect`): they call the one search
function, `library.search.search_catalogue`. The library home searches the whole catalogue,
case reviews included (the site's one search box leads there); the repository searches its
own case reviews, and each offers the same search in the other.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from library.charts import reviews_per_year_by_nation
from library.models.records import CaseReview, CatalogueRecord, RecordType, ReviewType
from library.models.snippets import Board, Nation, Subject
from library.search import parse_search_params, search_catalogue

RECENT_LIMIT = 10
FIRST_DECADE = 1940
# Query-string keys that turn an index page into a results page.
SEARCH_KEYS = frozenset(
    {
        "q",
        "record_type",
        "type",
        "subject",
        "nation",
        "review_type",
        "board",
        "availability",
        "year_from",
        "year_to",
    }
)

# How each nation reviews a child's death or serious injury (summarised from the
# NSPCC repository's guidance); the review type value links to the filtered repository.
NATION_PROCESSES = [
    (
        Nation.ENGLAND,
        "serious-case-review",
        _(
            "Serious case reviews followed a child's death or serious injury where abuse or "
            "neglect was thought to be involved; since 2018 they are child safeguarding "
            "practice reviews."
        ),
    ),
    (
        Nation.NORTHERN_IRELAND,
        "case-management-review",
        _(
            "Case management reviews are held after a child dies or is seriously injured and "
            "abuse or neglect is thought to be involved."
        ),
    ),
    (
        Nation.SCOTLAND,
        "significant-case-review",
        _(
            "Significant case reviews are held after a child dies or is seriously injured and "
            "abuse or neglect is thought to be involved."
        ),
    ),
    (
        Nation.WALES,
        "child-practice-review",
        _(
            "Child practice reviews are held after a child dies or is seriously injured and "
            "abuse or neglect is thought to be involved."
        ),
    ),
]


def wants_search(request) -> bool:
    """Whether the query string asks for results rather than the browse page."""
    return any(request.GET.get(key, "").strip() for key in SEARCH_KEYS)


class CatalogueSectionMixin:
    """What both section pages share: search results in place of the browse page."""

    def section_records(self, user):
        """Live records below this page that `user` may see."""

        return CatalogueRecord.objects.visible_to(user).descendant_of(self)

    # Whether a search here is limited to the records below this page.
    searches_own_section = True

    def search_context(self, request) -> dict:
        """`params` and `results` for library/search/results.html, or {} when browsing."""
        if not wants_search(request):
            return {}

        params = parse_search_params(request.GET)
        within = self if self.searches_own_section else None
        return {
            "params": params,
            "results": search_catalogue(params, request.user, within=within),
            "search_url": self.url,
            **self.other_scope(request),
        }

    def other_scope(self, request) -> dict:
        """A link to the same search in the other section (template context)."""
        return {}


def same_search_at(page, request) -> str:
    """`page`'s address with the request's query string, from the first page of results."""
    if page is None:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    return page.url + ("?" + query.urlencode() if query else "")


class LibraryIndexPage(CatalogueSectionMixin, Page):
    """The library catalogue's home: records of every type live below it."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.CatalogueRecord"]

    class Meta:
        verbose_name = _("library home")

    # The library home is where the site's search box leads: it searches everything.
    searches_own_section = False

    def other_scope(self, request) -> dict:
        repository = CaseReviewIndexPage.objects.live().first()
        return {"case_review_url": same_search_at(repository, request)}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        search = self.search_context(request)
        context.update(search)
        if not search:
            context["subject_tree"] = subject_tree()
            context["record_types"] = record_type_choices()
            context["decades"] = self.decades()
            context["nations"] = Nation.choices
            context["new_records"] = self.new_records(request.user)
        return context

    def new_records(self, user, limit: int = RECENT_LIMIT) -> list:
        """ "New in the Library": the latest records added that `user` may see."""
        return list(self.section_records(user).order_by("-date_added", "-pk")[:limit])

    def decades(self) -> list[int]:
        """Decades to browse (2020, 2010, ... back to the 1940s), newest first.

        A fixed range rather than the span of the records: working that out means reading
        every visible record on each visit, and the catalogue covers all of them.
        """
        this_decade = timezone.localdate().year // 10 * 10
        return list(range(this_decade, FIRST_DECADE - 1, -10))


class CaseReviewIndexPage(CatalogueSectionMixin, Page):
    """The national case review repository: case reviews live below it."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.CaseReview"]

    class Meta:
        verbose_name = _("case review repository")

    def other_scope(self, request) -> dict:
        library = LibraryIndexPage.objects.live().first()
        return {"whole_catalogue_url": same_search_at(library, request)}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        search = self.search_context(request)
        context.update(search)
        if not search:
            reviews = self.visible_reviews(request.user)
            context["nation_processes"] = [
                (nation.value, nation.label, review_type, summary)
                for nation, review_type, summary in NATION_PROCESSES
            ]
            context["review_types"] = ReviewType.choices
            context["years"] = list(
                reviews.exclude(publication_year=None)
                .order_by("-publication_year")
                .values_list("publication_year", flat=True)
                .distinct()
            )
            context["boards"] = self.boards_with_reviews(reviews)
            context["chart"] = reviews_per_year_by_nation(
                reviews, _("Case reviews published each year, by nation")
            )
            context["recent_reviews"] = list(
                reviews.select_related("board").order_by("-publication_year", "-date_added", "-pk")[
                    :RECENT_LIMIT
                ]
            )
        return context

    def visible_reviews(self, user):
        """Live case reviews below this page that `user` may see."""

        return CaseReview.objects.visible_to(user).descendant_of(self)

    def boards_with_reviews(self, reviews) -> list:
        """Boards that have at least one of these reviews, by name."""

        return list(Board.objects.filter(case_reviews__in=reviews).distinct().order_by("name"))


def subject_tree() -> list:
    """Top-level subjects, each with `.children` (its narrower terms, at any depth)."""

    subjects = list(Subject.objects.order_by("name"))
    by_broader: dict[int | None, list] = {}
    for subject in subjects:
        by_broader.setdefault(subject.broader_id, []).append(subject)
    for subject in subjects:
        subject.children = by_broader.get(subject.pk, [])
    return by_broader.get(None, [])


def record_type_choices() -> list[tuple[str, str]]:
    """Record types a librarian catalogues, as (value, label)."""

    return RecordType.choices
