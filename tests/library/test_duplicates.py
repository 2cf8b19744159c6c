"""The duplicate guard: same ISBN (either form), DOI, or title and year warns but never blocks."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from library.models import CatalogueRecord, find_possible_duplicates
from tests.factories.library import CatalogueRecordFactory

pytestmark = pytest.mark.django_db


def test_same_isbn_in_the_other_form_is_a_possible_duplicate(library):
    original = CatalogueRecordFactory(parent=library, isbn="0198534531")
    new = CatalogueRecord(title="A different title", isbn="9780198534532")
    assert find_possible_duplicates(new) == [original]


def test_same_doi_whatever_its_case_is_a_possible_duplicate(library):
    original = CatalogueRecordFactory(parent=library, doi="10.1136/adc.2010.197087")
    new = CatalogueRecord(title="Another", doi="10.1136/ADC.2010.197087")
    assert find_possible_duplicates(new) == [original]


def test_same_title_and_year_ignoring_punctuation_is_a_possible_duplicate(library):
    original = CatalogueRecordFactory(
        parent=library, title="What do serious case reviews achieve?", publication_year=2012
    )
    same = CatalogueRecord(title="What do Serious Case Reviews achieve", publication_year=2012)
    other_year = CatalogueRecord(title=original.title, publication_year=2013)
    assert find_possible_duplicates(same) == [original]
    assert find_possible_duplicates(other_year) == []


def test_a_record_is_not_its_own_duplicate(library):
    record = CatalogueRecordFactory(parent=library, isbn="0198534531")
    assert find_possible_duplicates(record) == []


def test_admin_saves_the_duplicate_and_warns_with_a_link_to_the_other(client, library):
    original = CatalogueRecordFactory(parent=library, title="Safeguarding through audit")
    admin = get_user_model().objects.create_superuser("lib", "lib@example.org", "pw")
    client.force_login(admin)
    data = nested_form_data(
        {
            "title": "Safeguarding through audit",
            "slug": "safeguarding-through-audit-2",
            "record_type": "guidance",
            "publication_year": original.publication_year,
            "language": "en",
            "availability": "online",
            "date_added": "2024-01-05",
            "abstract": rich_text(""),
            "contributors": inline_formset([]),
            "attached_documents": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["library", "cataloguerecord", library.pk])
    response = client.post(url, data, follow=True)

    assert CatalogueRecord.objects.filter(title="Safeguarding through audit").count() == 2
    html = response.content.decode()
    assert "may duplicate another" in html
    assert reverse("wagtailadmin_pages:edit", args=[original.pk]) in html
