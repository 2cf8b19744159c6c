"""Keeping lists alive: review dates and the admin report of lists due for review."""

import datetime

import pytest
from django.utils import timezone

from readinglists.models import LinkCheck, ReadingListPage, add_months
from tests.factories.readinglists import ReadingListPageFactory, citation_entry, section

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/reading-lists-due/"


def test_review_falls_due_an_interval_after_the_last_review(lists_index):
    reading_list = ReadingListPageFactory(
        parent=lists_index, last_reviewed=datetime.date(2024, 1, 31), review_interval_months=1
    )
    assert reading_list.review_due == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 11, 15), 14) == datetime.date(2025, 1, 15)


def test_report_lists_due_lists_and_not_the_others(admin_client, lists_index):
    today = timezone.localdate()
    overdue = ReadingListPageFactory(
        parent=lists_index,
        title="Overdue list on neglect",
        last_reviewed=today - datetime.timedelta(days=400),
        review_interval_months=12,
    )
    ReadingListPageFactory(
        parent=lists_index,
        title="Freshly reviewed list on grooming",
        last_reviewed=today,
        review_interval_months=12,
    )
    assert list(ReadingListPage.objects.due_for_review(today)) == [overdue]

    html = admin_client.get(REPORT_URL).content.decode()
    assert "Overdue list on neglect" in html
    assert "Freshly reviewed list on grooming" not in html
    assert f"/admin/pages/{overdue.pk}/edit/" in html


def test_report_counts_broken_links_of_each_due_list(admin_client, lists_index):
    url = "https://example.org/gone.pdf"
    ReadingListPageFactory(
        parent=lists_index,
        title="List with a dead link",
        last_reviewed=datetime.date(2013, 11, 1),
        sections=[section("Guidance", [citation_entry("Gone report", url=url)])],
    )
    LinkCheck.objects.create(url=url, last_status=404, consecutive_failures=3)
    response = admin_client.get(REPORT_URL)
    rows = [row for row in response.content.decode().split("<tr") if "List with a dead link" in row]
    assert rows and ">1<" in rows[0].replace(" ", "").replace("\n", "")


def test_report_is_in_the_reports_menu_and_refused_to_non_editors(
    admin_client, client, django_user_model
):
    assert REPORT_URL in admin_client.get("/admin/").content.decode()
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    assert client.get(REPORT_URL).status_code in (302, 403)
