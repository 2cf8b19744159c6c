"""The visibility contract: a restricted record is invisible on every surface to anyone not
allowed, and visible to its group. Every surface that shows records has a row in SURFACES; a new
surface (a feed, OAI-PMH, a digest) adds one.

The world: a public record and a restricted record and case review (group "Review panel"),
sharing the subject "Neglect"; the restricted ones alone carry the word "quokkaville" and the
subject "Quokka studies". Callers: the public; an outsider signed in on the site and holding a
partner token without the group; a member signed in and holding a partner token with it.
"""

import io
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from library.partners import issue_partner_token
from library.search.models import SearchEntry
from tests.factories.learning import (
    LearningIndexPageFactory,
    NationPageFactory,
    ThematicBriefingPageFactory,
)
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    RecommendationFactory,
    RecordDocumentFactory,
    SubjectFactory,
)
from tests.factories.readinglists import (
    ReadingListIndexPageFactory,
    ReadingListPageFactory,
    record_entry,
    section,
)

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Quokkaville: neglect behind closed doors"
SECRET_REVIEW = "Quokkaville case review: baby Q"
SECRET_SUBJECT = "Quokka studies"


def restrict(page, group: Group | None = None) -> PageViewRestriction:
    """Restrict a page as a librarian does in the admin (to a group, or to anyone signed in)."""
    if group is None:
        return PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    return restriction


@pytest.fixture(autouse=True)
def roomy_rate_limits(settings):
    settings.SHELFMARK_API_RATE_LIMIT_ANONYMOUS = (10_000, 60)
    settings.SHELFMARK_API_RATE_LIMIT_TOKEN = (10_000, 60)


@dataclass
class World:
    library: object
    repository: object
    public: object
    secret: object
    review: object
    reading_list: object
    document_url: str
    learning: object = None
    nation: object = None
    briefing: object = None


@pytest.fixture
def world(home_page):
    panel = Group.objects.create(name="Review panel")
    library = LibraryIndexPageFactory(parent=home_page)
    repository = CaseReviewIndexPageFactory(parent=home_page)
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    quokka = SubjectFactory(name=SECRET_SUBJECT, slug="quokka-studies")
    public = CatalogueRecordFactory(
        parent=library, title="Neglect: a guide for practitioners", subjects=[neglect]
    )
    secret = CatalogueRecordFactory(parent=library, title=SECRET_TITLE, subjects=[neglect, quokka])
    review = CaseReviewFactory(parent=repository, title=SECRET_REVIEW, subjects=[neglect, quokka])
    document = RecordDocumentFactory(record=secret).document
    restrict(secret, panel)
    restrict(review, panel)
    reading_list = ReadingListPageFactory(
        parent=ReadingListIndexPageFactory(parent=home_page),
        sections=[section("Guidance", [record_entry(public), record_entry(secret)])],
    )
    RecommendationFactory(review=review, text="Quokka recommendation")
    learning = LearningIndexPageFactory(parent=home_page)
    nation = NationPageFactory(parent=learning, nation=review.nation)
    briefing = ThematicBriefingPageFactory(
        parent=learning,
        theme=neglect,
        recommendations=[("recommendation", {"text": "Cite it", "reviews": [review]})],
    )
    return World(
        library,
        repository,
        public,
        secret,
        review,
        reading_list,
        document.url,
        learning,
        nation,
        briefing,
    )


@dataclass
class Caller:
    client: Client
    headers: dict
    allowed: bool

    def get(self, url: str):
        return self.client.get(url, headers=self.headers)

    def text(self, url: str) -> str:
        return self.get(url).content.decode()

    def api(self, url: str) -> dict:
        response = self.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        return response.json()


@pytest.fixture(params=["public", "outsider", "member"])
def caller(request, world):
    if request.param == "public":
        return Caller(Client(), {}, allowed=False)
    issued = issue_partner_token(
        f"{request.param} portal", groups=("Review panel",) if request.param == "member" else ()
    )
    client = Client()
    client.force_login(issued.token.user)
    return Caller(
        client, {"Authorization": f"Bearer {issued.plaintext}"}, request.param == "member"
    )


def pdf_text(response) -> bytes:
    """The words of a PDF answer (pypdf reads what fpdf2 wrote)."""
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages).encode()


def facet_labels(answer: dict) -> set[str]:
    return {value["label"] for values in answer["facets"].values() for value in values}


def digest_issue(world):
    """A CASPAR issue of this week and a digest rendered for a subscriber to "Neglect" (with a
    saved search for the secret word), built once per world."""
    if not hasattr(world, "digest"):
        import datetime

        from currentawareness.emails import DigestRenderer
        from currentawareness.matching import (
            Choices,
            SavedSearchHits,
            matching_items,
            new_public_items,
            site_links,
        )
        from currentawareness.models import DigestIssuePage
        from library.models import Subject
        from tests.factories.currentawareness import archive_page

        today = datetime.date.today()
        issue = DigestIssuePage(
            title="CASPAR this week",
            slug="caspar-this-week",
            service="caspar",
            period_start=today - datetime.timedelta(days=6),
            period_end=today,
        )
        archive_page(world.library.get_parent()).add_child(instance=issue)
        links = site_links()
        items = new_public_items(issue.period_start, today, links)
        neglect = Subject.objects.get(slug="neglect")
        choices = Choices(topic_ids=frozenset([neglect.pk]), searches=("q=quokkaville",))
        hits = SavedSearchHits({item.pk for item in items} | {world.secret.pk})
        chosen = matching_items("caspar", items, issue.period_start, choices, hits)
        world.issue = issue
        world.digest = DigestRenderer(issue, links).render(chosen).html
        world.alert_hits = hits("q=quokkaville")
    return world


SEARCH_API = "/api/v3/catalogue/search"
SURFACES = {
    "library section page": lambda c, w: SECRET_TITLE in c.text(w.library.url),
    "case review repository page": lambda c, w: SECRET_REVIEW in c.text(w.repository.url),
    "site search results": lambda c, w: SECRET_TITLE in c.text(w.library.url + "?q=neglect"),
    "site search count and facets": lambda c, w: (
        SECRET_SUBJECT in c.text(w.library.url + "?q=neglect")
    ),
    "site 'did you mean'": lambda c, w: "quokkaville" in c.text(w.library.url + "?q=quokkavile"),
    "site search of the whole catalogue": lambda c, w: (
        SECRET_REVIEW in c.text(w.library.url + "?q=quokkaville")
    ),
    "home page front door": lambda c, w: (
        SECRET_REVIEW in c.text("/") or SECRET_TITLE in c.text("/")
    ),
    "record page": lambda c, w: c.get(w.secret.url).status_code == 200,
    "related records": lambda c, w: SECRET_TITLE in c.text(w.public.url),
    "record document": lambda c, w: c.get(w.document_url).status_code == 200,
    "sitemap": lambda c, w: w.secret.url in c.text("/sitemap.xml"),
    "API search results": lambda c, w: SECRET_TITLE in json.dumps(c.api(f"{SEARCH_API}?q=neglect")),
    "API search count": lambda c, w: c.api(f"{SEARCH_API}?q=neglect")["count"] > 1,
    "API search facets": lambda c, w: SECRET_SUBJECT in facet_labels(c.api(SEARCH_API)),
    "API 'did you mean'": lambda c, w: (
        "quokkaville" in json.dumps(c.api(f"{SEARCH_API}?q=quokkavile"))
    ),
    "API record": lambda c, w: c.get(f"/api/v3/catalogue/records/{w.secret.pk}").status_code == 200,
    "API record export": lambda c, w: (
        c.get(f"/api/v3/catalogue/records/{w.secret.pk}/export?format=ris").status_code == 200
    ),
    "API record citation": lambda c, w: (
        c.get(f"/api/v3/catalogue/records/{w.secret.pk}/citation").status_code == 200
    ),
    "API new additions": lambda c, w: SECRET_TITLE in c.text("/api/v3/catalogue/new"),
    "API reading list": lambda c, w: (
        SECRET_TITLE in c.text(f"/api/v3/reading-lists/{w.reading_list.pk}")
    ),
    "reading list page": lambda c, w: SECRET_TITLE in c.text(w.reading_list.url),
    "reading list print view": lambda c, w: SECRET_TITLE in c.text(w.reading_list.url + "print/"),
    "reading list bibliography": lambda c, w: (
        SECRET_TITLE in c.text(w.reading_list.url + "bibliography/")
    ),
    "reading list RIS export": lambda c, w: (
        SECRET_TITLE in c.text(w.reading_list.url + "export/ris/")
    ),
    "case review nation page": lambda c, w: SECRET_REVIEW in c.text(w.nation.url),
    "case reviews year page": lambda c, w: (
        SECRET_REVIEW in c.text(f"{w.learning.url}years/{w.review.publication_year}/")
    ),
    # The only case review is the restricted one: the public see no chart at all.
    "repository chart": lambda c, w: (
        'data-chart-table="reviews-by-nation"' in c.text(w.repository.url)
    ),
    "briefing reviews on its theme": lambda c, w: SECRET_REVIEW in c.text(w.briefing.url),
    "briefing print view": lambda c, w: SECRET_REVIEW in c.text(w.briefing.url + "print/"),
    "briefing PDF": lambda c, w: b"Quokkaville" in pdf_text(c.get(w.briefing.url + "pdf/")),
    "recommendations across reviews": lambda c, w: (
        "Quokka recommendation" in c.text(w.learning.url + "recommendations/")
    ),
    "recommendations CSV": lambda c, w: (
        "Quokka recommendation" in c.text(w.learning.url + "recommendations/csv/")
    ),
    "API briefing": lambda c, w: (
        SECRET_REVIEW in c.text(f"/api/v3/learning/briefings/{w.briefing.pk}")
    ),
    "API nation list": lambda c, w: (
        SECRET_REVIEW in c.text(f"/api/v3/learning/nations/{w.review.nation}")
    ),
    "API recommendations": lambda c, w: (
        "Quokka recommendation" in c.text("/api/v3/learning/recommendations")
    ),
    "OAI-PMH ListRecords": lambda c, w: (
        SECRET_TITLE in c.text("/oai/?verb=ListRecords&metadataPrefix=oai_dc")
    ),
    "OAI-PMH GetRecord": lambda c, w: (
        SECRET_TITLE
        in c.text(
            f"/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:shelfmark.local:{w.secret.pk}"
        )
    ),
    "OAI-PMH case reviews by nation": lambda c, w: (
        SECRET_REVIEW in c.text("/oai/?verb=ListRecords&metadataPrefix=marc21&set=nation:england")
    ),
    "record page citation metadata": lambda c, w: (
        c.get(w.secret.url).status_code == 200 and "citation_title" in c.text(w.secret.url)
    ),
    "search results export": lambda c, w: SECRET_TITLE in c.text("/search/export/ris/?q=neglect"),
    "feed of new additions": lambda c, w: SECRET_TITLE in c.text("/feeds/new/"),
    "feed of a subject": lambda c, w: SECRET_TITLE in c.text("/feeds/subject/neglect/"),
    "feed of a record type": lambda c, w: SECRET_TITLE in c.text("/feeds/type/report/"),
    "feed of case reviews by nation": lambda c, w: (
        SECRET_REVIEW in c.text("/feeds/case-reviews/england/")
    ),
    "feed of a search": lambda c, w: SECRET_TITLE in c.text("/feeds/search/?q=neglect"),
    "reading list MARCXML export": lambda c, w: (
        "Quokkaville" in c.text(w.reading_list.url + "export/marcxml/")
    ),
    "staff search ranking explained": lambda c, w: (
        SECRET_TITLE in c.text("/admin/search-explained/?q=neglect")
    ),
    # Wagtail's stock v3 endpoints are not mounted: they list nothing to anyone.
    "stock pages API": lambda c, w: SECRET_TITLE in c.text("/api/v3/pages/?search=quokkaville"),
    "stock documents API": lambda c, w: w.document_url in c.text("/api/v3/documents/"),
    # Current awareness is for the public, whoever reads it: the web copy, the email, and the
    # saved searches behind "Alert me".
    "current awareness issue page": lambda c, w: SECRET_TITLE in c.text(digest_issue(w).issue.url),
    "digest email": lambda c, w: SECRET_TITLE in digest_issue(w).digest,
    "digest saved search": lambda c, w: w.secret.pk in digest_issue(w).alert_hits,
}
# Surfaces for crawlers, and endpoints not published, list no restricted page, whoever asks.
# Harvesters, feed readers and digest subscribers are the public, whoever signs in; the staff
# views are open to none of these callers (see test_search_explain_admin for staff).
PUBLIC_ONLY = {
    "feed of new additions",
    "feed of a subject",
    "feed of a record type",
    "feed of case reviews by nation",
    "feed of a search",
    "sitemap",
    "stock pages API",
    "stock documents API",
    "OAI-PMH ListRecords",
    "OAI-PMH GetRecord",
    "OAI-PMH case reviews by nation",
    "current awareness issue page",
    "digest email",
    "digest saved search",
    "staff search ranking explained",
}


def test_a_restricted_record_is_seen_only_by_its_group(world, caller):
    # One world per caller, every surface asked (building the world per surface is slow).
    wrong = [
        surface
        for surface, shows_secret in SURFACES.items()
        if shows_secret(caller, world) is not (caller.allowed and surface not in PUBLIC_ONLY)
    ]
    assert wrong == []


def test_every_surface_sees_the_public_record(world):
    public = Caller(Client(), {}, allowed=False)
    assert world.public.title in public.text(world.library.url + "?q=neglect")
    assert public.api(f"{SEARCH_API}?q=neglect")["count"] == 1
    assert world.public.title in public.text(world.reading_list.url)
    assert world.public.url in public.text("/sitemap.xml")
    assert world.public.title in public.text("/oai/?verb=ListRecords&metadataPrefix=oai_dc")
    assert world.public.title in public.text("/feeds/search/?q=neglect")
    assert world.public.title in public.text("/feeds/subject/neglect/")
    assert world.public.title in digest_issue(world).digest
    assert world.public.title in public.text(world.issue.url)


def test_login_only_restrictions_hide_words_from_the_public_too(home_page):
    library = LibraryIndexPageFactory(parent=home_page)
    restrict(CatalogueRecordFactory(parent=library, title="Wombatford family review"))
    public = Caller(Client(), {}, allowed=False)
    assert "wombatford" not in public.text(library.url + "?q=wombatfrd")
    assert public.api(f"{SEARCH_API}?q=wombatfrd")["suggestion"] == ""


@pytest.fixture
def stopped_worker(settings):
    """Index updates queue in the database and wait: the index lags the page tree."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_counts_and_facets_drop_a_newly_restricted_record_before_the_index_does(
    world, stopped_worker
):
    public = Caller(Client(), {}, allowed=False)
    assert public.api(f"{SEARCH_API}?q=neglect")["count"] == 1
    restrict(world.public)
    assert SearchEntry.objects.filter(record_id=world.public.pk).exists()  # not reindexed yet
    answer = public.api(f"{SEARCH_API}?q=neglect")
    assert (answer["count"], answer["items"]) == (0, [])
    assert "Neglect" not in facet_labels(answer)


def test_counts_drop_an_unpublished_record_before_the_index_does(world, stopped_worker):
    public = Caller(Client(), {}, allowed=False)
    world.public.unpublish()
    assert SearchEntry.objects.filter(record_id=world.public.pk).exists()  # not reindexed yet
    answer = public.api(SEARCH_API)
    assert answer["count"] == 0 and facet_labels(answer) == set()
    assert "0 records" in public.text(world.library.url + "?q=neglect")
