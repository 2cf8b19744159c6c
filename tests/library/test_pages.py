"""The library home, the case review repository and record pages, as a visitor sees them."""

import datetime

import pytest

from tests.factories.library import (
    AgencyFactory,
    BoardFactory,
    CaseReviewFactory,
    CatalogueRecordFactory,
    RecommendationFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def test_library_home_offers_browse_links_and_new_records(client, library):
    abuse = SubjectFactory(name="Child abuse")
    SubjectFactory(name="Neglect", broader=abuse)
    CatalogueRecordFactory(parent=library, title="Older", date_added=datetime.date(2020, 1, 1))
    CatalogueRecordFactory(
        parent=library, title="Newest", publication_year=1987, date_added=datetime.date.today()
    )
    html = client.get(library.url).content.decode()
    assert 'href="/library/?subject=neglect"' in html
    assert 'href="/library/?record_type=journal-article"' in html
    assert 'href="/library/?nation=wales"' in html
    assert 'href="/library/?year_from=1980&amp;year_to=1989"' in html
    assert html.index("Newest") < html.index("Older")


def test_a_filter_in_the_query_string_shows_search_results(client, library):
    neglect = SubjectFactory(name="Neglect")
    CatalogueRecordFactory(parent=library, title="About neglect", subjects=[neglect])
    CatalogueRecordFactory(parent=library, title="About something else")
    html = client.get(library.url, {"subject": "neglect"}).content.decode()
    assert "1 record found" in html
    assert "About neglect" in html and "About something else" not in html


def test_repository_home_browses_by_nation_type_year_and_board(client, repository):
    board = BoardFactory(name="ISCP")
    CaseReviewFactory(parent=repository, title="Child X", board=board, publication_year=2016)
    html = client.get(repository.url).content.decode()
    assert "Case management reviews are held" in html
    assert 'href="/case-reviews/?nation=northern-ireland"' in html
    assert 'href="/case-reviews/?review_type=child-practice-review"' in html
    assert 'href="/case-reviews/?year_from=2016&amp;year_to=2016"' in html
    assert f'href="/case-reviews/?board={board.pk}"' in html
    assert "Child X" in html


def test_record_page_shows_citation_fields_subjects_and_related_records(client, library):
    neglect = SubjectFactory(name="Neglect")
    record = CatalogueRecordFactory(
        parent=library,
        title="What do serious case reviews achieve?",
        record_type="journal-article",
        journal_title="Archives of Disease in Childhood",
        volume="97",
        issue="3",
        page_range="189-192",
        publication_year=2012,
        doi="10.1136/adc.2010.197087",
        subjects=[neglect],
        contributors=1,
    )
    CatalogueRecordFactory(parent=library, title="A related record", subjects=[neglect])
    CatalogueRecordFactory(parent=library, title="An unrelated record")
    html = client.get(record.get_url()).content.decode()
    assert "Archives of Disease in Childhood" in html and '<dl class="fields">' in html
    assert 'href="https://doi.org/10.1136/adc.2010.197087"' in html
    assert 'href="/library/?subject=neglect"' in html
    assert "A related record" in html and "An unrelated record" not in html
    assert "2012" in html.split('id="citation-heading"')[1].split("</p>")[0]


def test_case_review_page_shows_its_facts_and_recommendations(client, repository):
    police = AgencyFactory(name="Police")
    review = CaseReviewFactory(
        parent=repository,
        title="Child X",
        board=BoardFactory(name="ISCP"),
        incident_year=2014,
        child_age_band="under-1",
        agencies=[police],
    )
    RecommendationFactory(review=review, text="Share concerns early.", agency=police)
    html = client.get(review.get_url()).content.decode()
    for text in ("Serious case review", "ISCP", "2014", "Under 1 year", "Share concerns early."):
        assert text in html
