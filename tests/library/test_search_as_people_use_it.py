"""The site's search as people use it: one box for the whole catalogue (case reviews
included), filters that stay, year fields, a help page beside every box, and zero-result pages
that say what to try next."""

import re

import pytest

from library.models import Nation, RecordType, ReviewType
from tests.factories.enquiries import EnquiryFormPageFactory
from tests.factories.home import make_site
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
)

REVIEW = "Child practice review: Baby Gwen"


@pytest.fixture
def site(search_engine, db):
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    repository = CaseReviewIndexPageFactory(parent=home)
    CatalogueRecordFactory(
        parent=library,
        title="Neglect in Welsh primary schools",
        nation=Nation.WALES,
        record_type=RecordType.REPORT,
        publication_year=2012,
    )
    CatalogueRecordFactory(
        parent=library,
        title="Neglect and poverty in England",
        nation=Nation.ENGLAND,
        record_type=RecordType.BOOK,
        publication_year=2018,
    )
    CaseReviewFactory(
        parent=repository,
        title=REVIEW,
        abstract="<p>Neglect of an infant in a rural county.</p>",
        nation=Nation.WALES,
        review_type=ReviewType.CHILD_PRACTICE_REVIEW,
        publication_year=2019,
    )
    enquiry = EnquiryFormPageFactory(parent=home)
    return {"library": library, "repository": repository, "enquiry": enquiry}


def page(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_header_search_finds_case_reviews(client, site):
    html = page(client, "/search/?q=gwen")
    assert "1 record found" in html and REVIEW in html


def test_the_library_type_link_for_case_reviews_shows_them(client, site):
    browse = page(client, site["library"].url)
    assert f'href="{site["library"].url}?record_type=case-review"' in browse
    html = page(client, site["library"].url + "?record_type=case-review")
    assert "1 record found" in html and REVIEW in html


def test_library_results_offer_the_case_review_view_as_a_filter(client, site):
    html = page(client, site["library"].url + "?q=neglect&nation=wales")
    assert "2 records found" in html
    assert f'href="{site["repository"].url}?q=neglect&amp;nation=wales"' in html
    reviews = page(client, site["repository"].url + "?q=neglect&nation=wales")
    assert "1 record found" in reviews and REVIEW in reviews


def hidden_inputs(html: str) -> set[tuple[str, str]]:
    form = html[
        html.index('class="section-search"') : html.index(
            "</form>", html.index('class="section-search"')
        )
    ]
    return set(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


def test_filters_stay_when_a_new_query_is_typed(client, site):
    html = page(client, site["library"].url + "?q=neglect&nation=wales&record_type=report")
    assert hidden_inputs(html) == {("nation", "wales"), ("record_type", "report")}


def test_remove_links_use_the_label_as_shown(client, site):
    html = page(client, site["library"].url + "?q=neglect&nation=northern-ireland")
    assert "Remove Northern Ireland" in html
    assert "Remove northern-ireland" not in html


def test_year_fields_filter_and_keep_their_values(client, site):
    html = page(client, site["library"].url + "?q=neglect&year_from=2015&year_to=")
    assert "2 records found" in html  # 2018 and 2019
    assert 'name="year_from" size="4" maxlength="4" pattern="[0-9]{4}" value="2015"' in html
    assert "Remove years 2015 to …" in html


def test_search_help_explains_syntax_fields_and_filters(client, site):
    html = page(client, "/search/help/")
    for example in ("year:2015..", "nation:wales", "type:report", "review:", "availability:"):
        assert example in html
    assert "Filters stay while you type new words" in html


@pytest.mark.parametrize("where", ["home", "library", "repository", "results"])
def test_every_search_box_has_the_help_link_beside_it(client, site, where):
    url = {
        "home": "/",
        "library": site["library"].url,
        "repository": site["repository"].url,
        "results": site["library"].url + "?q=neglect",
    }[where]
    html = page(client, url)
    for form in re.findall(r'<form[^>]*role="search".*?</form>', html, flags=re.S):
        assert 'href="/search/help/"' in form


def test_zero_results_suggest_what_to_do_next(client, site):
    html = page(client, site["library"].url + "?q=neglcet&nation=scotland&year_from=2000")
    assert "0 records found" in html
    suggestions = html[html.index('id="zero-results-heading"') :]
    suggestions = suggestions[: suggestions.index("</section>")]
    assert ">neglect</a>" in suggestions  # the did-you-mean
    assert "Search again without the filter Scotland" in suggestions
    assert "Search again without the years" in suggestions
    assert f'href="{site["enquiry"].url}"' in suggestions
