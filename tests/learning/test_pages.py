"""The learning pages as a reader sees them: nation and year lists, a briefing, the notice."""

import pytest

from tests.learning.conftest import HIDDEN_TITLE

pytestmark = pytest.mark.django_db


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_nation_page_lists_its_reviews_by_year_newest_first_in_the_yearly_shape(
    client, repository
):
    page = text(client, repository.england.url)
    assert page.index("Published in 2016") < page.index("Published in 2014")
    # Within 2016, July before March.
    assert page.index("Child Y") < page.index("Child X")
    assert "March 2016 – Northshire Safeguarding Children Board – Child X." in page
    assert "Death of a 4-month-old boy from a head injury." in page
    assert "Background:</strong> The family had moved three times in a year." in page
    assert "Learning:</strong> Listen to what fathers say." in page
    assert "the review was undertaken using the SCIE Learning Together model." in page
    assert "Keywords:</strong> neglect" in page
    assert "Read the overview report" in page and "(PDF)" in page
    assert "Child practice review: Child A" not in page  # Wales has its own page
    assert HIDDEN_TITLE not in page


def test_the_overview_report_link_serves_the_pdf(client, repository):
    page = text(client, repository.england.url)
    href = page.split("Read the overview report")[0].rsplit('href="', 1)[1].split('"')[0]
    response = client.get(href)
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:5]
        == b"%PDF-"
    )


def test_a_year_page_lists_every_nation_in_order_of_publication(client, repository):
    page = text(client, repository.learning.url + "years/2016/")
    assert "<h1>Case reviews published in 2016</h1>" in page
    assert page.index("Child X") < page.index("Child Y")  # March, then July
    assert "Child Z" not in page and "Child A" not in page
    assert HIDDEN_TITLE not in page
    wales = text(client, repository.learning.url + "years/2015/")
    assert "Child practice review: Child A" in wales and "(Wales)" in wales


def test_a_year_out_of_range_is_not_found(client, repository):
    assert client.get(repository.learning.url + "years/99999/").status_code == 404


@pytest.mark.parametrize(
    "where", ["england", "year", "briefing", "print", "recommendations", "learning", "review"]
)
def test_every_page_showing_reviews_opens_with_the_content_notice(client, repository, where):
    urls = {
        "england": repository.england.url,
        "year": repository.learning.url + "years/2016/",
        "briefing": repository.briefing.url,
        "print": repository.briefing.url + "print/",
        "recommendations": repository.learning.url + "recommendations/",
        "learning": repository.learning.url,
        "review": repository.reviews["x"].url,
    }
    page = text(client, urls[where])
    assert "describe children's experiences of abuse and neglect" in page
    assert 'href="tel:08088005000">0808 800 5000</a>' in page


def test_the_repository_home_opens_with_the_notice(client, repository):
    page = text(client, repository.reviews["x"].get_parent().url)
    assert "Content notice:" in page


def test_a_case_review_page_shows_its_new_facts(client, repository):
    page = text(client, repository.reviews["x"].url)
    for expected in (
        "Child X.",
        "Death of a 4-month-old boy from a head injury.",
        "The family had moved three times in a year.",
        "Listen to what fathers say.",
        "SCIE Learning Together",
        "March 2016",
    ):
        assert expected in page, expected


def test_a_briefing_lists_reviews_on_its_theme_and_narrower_themes_newest_first(client, repository):
    page = text(client, repository.briefing.url)
    assert "Child Y" in page  # on "Emotional neglect", narrower than Neglect
    assert "Child Z" not in page  # drowning
    listed = page.split('id="theme-reviews-heading"')[1]
    assert listed.index("Child Y") < listed.index("Child X") < listed.index("Child A")
    assert HIDDEN_TITLE not in page
    assert "3 case reviews" in page


def test_a_briefing_filters_its_reviews_by_nation_and_year(client, repository):
    wales = text(client, repository.briefing.url + "?nation=wales")
    assert "Child practice review: Child A" in wales and "Child Y" not in wales
    year = text(client, repository.briefing.url + "?year=2016&nation=england")
    assert "Child Y" in year and "Child A" not in year


def test_a_briefing_explains_filters_it_cannot_use(client, repository):
    page = text(client, repository.briefing.url + "?nation=atlantis&year=twenty")
    assert "There is no nation called “atlantis”" in page
    assert "is not a year between" in page
    assert "3 case reviews" in page


def test_a_briefing_cites_only_reviews_the_reader_may_see(client, repository):
    page = text(client, repository.briefing.url)
    assert "See the child, every visit." in page
    assert "Serious case review: Child X</a>" in page
    assert HIDDEN_TITLE not in page


def test_a_briefing_counts_reviews_added_since_its_last_review(client, repository):
    # Child X (March 2016) and Child Y (July 2016) were added after 1 January 2016; the
    # Welsh review in 2015 was not; the restricted one is not counted for the public.
    assert repository.briefing.reviews_added_since_review() == 2
    assert "2 case reviews on this theme have been added since." in text(
        client, repository.briefing.url
    )


def test_the_briefing_chart_counts_its_theme_reviews_per_year(client, repository):
    page = text(client, repository.briefing.url)
    table = page.split('data-chart-table="theme-reviews"')[1].split("</table>")[0]
    assert '<th scope="row">2015</th><td>1</td>' in table
    assert '<th scope="row">2016</th><td>2</td>' in table
    assert "2014" not in table


def test_the_repository_chart_counts_reviews_per_year_by_nation(client, repository):
    from library.models import CaseReview

    page = text(client, repository.reviews["x"].get_parent().url)
    table = page.split('data-chart-table="reviews-by-nation"')[1].split("</table>")[0]
    public_2016 = CaseReview.objects.visible_to(None).filter(publication_year=2016).count()
    assert public_2016 == 2
    # England, Northern Ireland, Scotland, Wales, then the total.
    assert '<th scope="row">2016</th><td>2</td><td>0</td><td>0</td><td>0</td><td>2</td>' in table
    assert '<th scope="row">2015</th><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td>' in table
    assert page.count("<rect x=") == 3  # one bar segment per year and nation with reviews


def test_further_reading_lists_only_what_the_reader_may_see(client, repository, home_page):
    from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory
    from tests.factories.readinglists import ReadingListIndexPageFactory, ReadingListPageFactory

    library = LibraryIndexPageFactory(parent=home_page)
    guide = CatalogueRecordFactory(parent=library, title="Recognising neglect: a guide")
    reading_list = ReadingListPageFactory(
        parent=ReadingListIndexPageFactory(parent=home_page), title="Neglect reading list"
    )
    briefing = repository.briefing
    briefing.further_reading = [
        ("reading_list", reading_list),
        ("publication", guide),
        ("publication", repository.reviews["hidden"]),
    ]
    briefing.save_revision().publish()
    page = text(client, briefing.url)
    assert "Neglect reading list</a>" in page
    assert "Recognising neglect: a guide</a>" in page
    assert HIDDEN_TITLE not in page
