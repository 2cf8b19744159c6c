"""The compiled month is typed as people write it, never replaced; review falls due from the
last review, not from when the list was compiled."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from readinglists.forms import parse_month_year
from readinglists.models import ReadingListPage, add_months
from tests.factories.readinglists import ReadingListPageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["November 2013", "Nov 2013", "nov. 2013", "  november   2013 ", "2013-11", "11/2013"]
)
def test_a_month_and_year_as_people_write_it(typed):
    assert parse_month_year(typed) == datetime.date(2013, 11, 1)


@pytest.mark.parametrize("typed", ["Novembr 2013", "2013", "13/2013", "2013-02-30", "November"])
def test_anything_else_is_refused_not_guessed(typed):
    with pytest.raises(ValueError):
        parse_month_year(typed)


def list_form_data(compiled: str) -> dict:
    return nested_form_data(
        {
            "title": "Neglect in adolescence",
            "slug": "neglect-in-adolescence",
            "compiled": compiled,
            "compiler": "the Information Service",
            "introduction": rich_text("<p>Key resources.</p>"),
            "sections": streamfield([]),
            "see_also": streamfield([]),
            "closing_note": rich_text(""),
            "review_interval_months": "12",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )


def add_url(lists_index) -> str:
    return f"/admin/pages/add/readinglists/readinglistpage/{lists_index.pk}/"


@pytest.mark.parametrize("typed", ["November 2013", "Nov 2013", "2013-11"])
def test_an_editor_types_the_compiled_month_in_words(admin_client, lists_index, typed):
    response = admin_client.post(add_url(lists_index), list_form_data(typed))
    assert response.status_code == 302
    assert ReadingListPage.objects.get().compiled == datetime.date(2013, 11, 1)


def test_an_unreadable_month_is_an_error_on_the_field(admin_client, lists_index):
    response = admin_client.post(add_url(lists_index), list_form_data("autumn 2013"))
    assert response.status_code == 200
    assert "Enter the month and year the list was compiled" in response.content.decode()
    assert not ReadingListPage.objects.exists()


def test_the_editor_shows_the_month_in_words_in_a_text_box(admin_client, lists_index):
    reading_list = ReadingListPageFactory(parent=lists_index)
    html = admin_client.get(f"/admin/pages/{reading_list.pk}/edit/").content.decode()
    field = (
        html.split('name="compiled"', 1)[0].rsplit("<input", 1)[1]
        + html.split('name="compiled"', 1)[1].split(">", 1)[0]
    )
    assert 'value="November 2013"' in field
    assert 'type="text"' in field
    assert "w-date" not in field  # no date picker


def test_a_new_list_is_not_due_for_review_because_it_was_compiled_long_ago(lists_index):
    reading_list = ReadingListPageFactory(
        parent=lists_index, compiled=datetime.date(2013, 11, 1), last_reviewed=None
    )
    today = timezone.localdate()
    assert reading_list.review_due == add_months(today, 12)
    assert not ReadingListPage.objects.due_for_review().filter(pk=reading_list.pk).exists()


def test_review_falls_due_an_interval_after_the_last_review(lists_index):
    reading_list = ReadingListPageFactory(
        parent=lists_index,
        compiled=datetime.date(2013, 11, 1),
        last_reviewed=datetime.date(2020, 3, 15),
        review_interval_months=6,
    )
    assert reading_list.review_due == datetime.date(2020, 9, 15)
    assert ReadingListPage.objects.due_for_review().filter(pk=reading_list.pk).exists()
