"""Record pages state each fact once, in words a reader understands."""

import re

import pytest

from tests.factories.library import CaseReviewFactory, CatalogueRecordFactory

pytestmark = pytest.mark.django_db


def page_without_citation(client, record) -> str:
    """The record's article, less the "How to cite" section and its COinS for reference
    managers (a citation repeats facts by design)."""
    html = client.get(record.get_url()).content.decode()
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    article = re.sub(r'<span class="Z3988"[^>]*></span>', "", article)
    return re.sub(
        r'<section[^>]*aria-labelledby="citation-heading">.*?</section>', "", article, flags=re.S
    )


def test_language_is_shown_by_name(client, library):
    record = CatalogueRecordFactory(parent=library, language="cy")
    html = page_without_citation(client, record)
    assert "<dd>Welsh</dd>" in html
    assert "<dd>cy</dd>" not in html


def test_an_unknown_language_code_is_shown_as_typed(client, library):
    record = CatalogueRecordFactory(parent=library, language="xx-klingon")
    assert "<dd>xx-klingon</dd>" in page_without_citation(client, record)


def test_case_review_shows_nation_year_and_contributors_once(client, repository):
    review = CaseReviewFactory(
        parent=repository, publication_year=2016, incident_year=2014, contributors=2
    )
    html = page_without_citation(client, review)
    assert html.count("England") == 1
    assert html.count("2016") == 1
    for contributor in review.contributor_list:
        assert html.count(contributor.family_name) == 1


def test_case_review_with_its_month_shows_the_date_once(client, repository):
    review = CaseReviewFactory(parent=repository, publication_year=2016, publication_month=3)
    html = page_without_citation(client, review)
    assert "<dd>March 2016</dd>" in html
    assert html.count("2016") == 1


def test_record_shows_year_and_contributors_once(client, library):
    record = CatalogueRecordFactory(parent=library, publication_year=2013, contributors=1)
    html = page_without_citation(client, record)
    assert html.count("2013") == 1
    [contributor] = record.contributor_list
    assert html.count(contributor.family_name) == 1
