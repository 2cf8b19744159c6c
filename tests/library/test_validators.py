"""Identifiers and years: good values are normalised, bad ones get a sentence saying what to fix."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from library import identifiers
from library.models import CaseReview, CatalogueRecord


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0-19-853453-1", "0198534531"),
        ("ISBN 978-1-84196-337-2", "9781841963372"),
        ("978 0 306 40615 7", "9780306406157"),
        ("0-8044-2957-x", "080442957X"),
    ],
)
def test_good_isbns_are_stored_without_hyphens(typed, stored):
    assert identifiers.normalise_isbn(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0-19-853453-2", "wrong check digit"),
        ("978-1-84196-337-6", "wrong check digit"),
        ("12345", "An ISBN has 10 digits"),
        ("977-1-84196-337-6", "An ISBN has 10 digits"),
    ],
)
def test_bad_isbns_are_refused_with_a_sentence(typed, message):
    with pytest.raises(ValueError, match=message):
        identifiers.normalise_isbn(typed)


def test_isbn_forms_convert_both_ways():
    assert identifiers.isbn_to_13("0198534531") == "9780198534532"
    assert identifiers.isbn_to_10("9780198534532") == "0198534531"
    assert identifiers.isbn_to_10("9791034304621") == ""


def test_issn_and_doi_are_normalised_or_refused():
    assert identifiers.normalise_issn("0952 9136") == "0952-9136"
    assert identifiers.normalise_issn("1468-263x") == "1468-263X"
    with pytest.raises(ValueError, match="wrong check digit"):
        identifiers.normalise_issn("0952-9137")
    assert identifiers.normalise_doi("https://doi.org/10.1093/BJSW/bcq084") == "10.1093/bjsw/bcq084"
    assert identifiers.normalise_doi("doi: 10.1136/adc.2010.197087") == "10.1136/adc.2010.197087"
    with pytest.raises(ValueError, match="starts with 10."):
        identifiers.normalise_doi("bjsw/bcq084")


def record(**fields) -> CatalogueRecord:
    return CatalogueRecord(title="What do serious case reviews achieve?", slug="x", **fields)


def clean_errors(page) -> dict:
    with pytest.raises(ValidationError) as raised:
        page.clean()
    return raised.value.message_dict


@pytest.mark.django_db
def test_clean_normalises_identifiers_on_the_record():
    page = record(isbn="978-1-84196-337-2", doi="https://doi.org/10.1136/ADC.2010.197087")
    page.clean()
    assert (page.isbn, page.doi) == ("9781841963372", "10.1136/adc.2010.197087")


@pytest.mark.django_db
def test_clean_puts_each_problem_on_its_field():
    errors = clean_errors(record(isbn="12345", issn="0952-9137", doi="nonsense"))
    assert set(errors) == {"isbn", "issn", "doi"}
    assert all(message[0].endswith(".") for message in errors.values())


@pytest.mark.django_db
def test_a_year_after_next_year_is_refused():
    next_but_one = datetime.date.today().year + 2
    errors = clean_errors(record(publication_year=next_but_one))
    assert "cannot be later than" in errors["publication_year"][0]


@pytest.mark.django_db
def test_full_date_must_agree_with_the_year():
    errors = clean_errors(record(publication_year=2012, publication_date=datetime.date(2013, 3, 1)))
    assert errors["publication_date"] == [
        "The full date is in 2013 but the year of publication is 2012; make them agree."
    ]


@pytest.mark.django_db
def test_incident_cannot_follow_the_reviews_publication():
    review = CaseReview(title="Child X", slug="child-x", publication_year=2016, incident_year=2017)
    errors = clean_errors(review)
    assert "cannot be later than the review's publication in 2016" in errors["incident_year"][0]
