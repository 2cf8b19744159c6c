"""The reading lists home: lists by topic and newest first, restricted lists left out."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from tests.factories.library import SubjectFactory
from tests.factories.readinglists import ReadingListPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(lists_index):
    neglect = SubjectFactory(name="Neglect")
    reviews = SubjectFactory(name="Serious case reviews")
    older = ReadingListPageFactory(
        parent=lists_index,
        title="Neglect of under ones",
        compiled=datetime.date(2012, 5, 1),
        topics=[neglect],
    )
    newer = ReadingListPageFactory(
        parent=lists_index,
        title="Conducting a case review",
        compiled=datetime.date(2013, 11, 1),
        topics=[reviews],
    )
    hidden = ReadingListPageFactory(parent=lists_index, title="Staff-only list")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    return older, newer


def test_index_lists_newest_first_and_by_topic(client, lists_index, lists):
    html = client.get(lists_index.url).content.decode()
    assert html.index("Conducting a case review") < html.index("Neglect of under ones")
    assert "November 2013" in html and "May 2012" in html
    by_topic = html[html.index("Lists by topic") :]
    assert by_topic.index("Neglect") < by_topic.index("Neglect of under ones")
    assert "Staff-only list" not in html


def test_index_filters_by_topic_and_explains_an_unknown_topic(client, lists_index, lists):
    html = client.get(lists_index.url + "?topic=neglect").content.decode()
    assert "Neglect of under ones" in html
    assert "Conducting a case review" not in html

    response = client.get(lists_index.url + "?topic=no-such-topic")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There are no reading lists on the topic “no-such-topic”" in html
    assert "Conducting a case review" in html
