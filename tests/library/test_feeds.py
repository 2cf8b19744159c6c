"""Atom feeds, read with lxml against the Atom namespace as a feed reader reads them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from lxml import etree
from wagtail.models import PageViewRestriction

from library.models import RecordType
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    ContributorFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def read_feed(url: str, client: Client | None = None) -> etree._Element:
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def titles(feed) -> list[str]:
    return feed.xpath("a:entry/a:title/text()", namespaces=ATOM)


@pytest.fixture
def catalogue(home_page):
    library = LibraryIndexPageFactory(parent=home_page)
    repository = CaseReviewIndexPageFactory(parent=home_page)
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    older = CatalogueRecordFactory(
        parent=library,
        title="Neglect matters",
        record_type=RecordType.BOOK,
        subjects=[neglect],
        date_added=datetime.date(2024, 5, 1),
    )
    ContributorFactory(record=older, family_name="Munro", given_names="E. R.", sort_order=0)
    ContributorFactory(record=older, family_name="Lushey", given_names="C.", sort_order=1)
    newer = CatalogueRecordFactory(
        parent=library, title="Online harms and children", date_added=datetime.date(2025, 1, 2)
    )
    review = CaseReviewFactory(
        parent=repository, title="Child practice review: Baby W", nation="wales"
    )
    secret = CatalogueRecordFactory(
        parent=library, title="Quokkaville neglect inquiry", subjects=[neglect]
    )
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Panel"))
    return {"library": library, "older": older, "newer": newer, "review": review, "secret": secret}


def test_new_additions_list_the_newest_first_with_authors_date_and_abstract(catalogue):
    feed = read_feed("/feeds/new/")
    assert titles(feed)[-2:] == ["Online harms and children", "Neglect matters"]
    entry = feed.xpath("a:entry[a:title='Neglect matters']", namespaces=ATOM)[0]
    assert entry.xpath("a:author/a:name/text()", namespaces=ATOM) == ["Munro, E. R.", "Lushey, C."]
    assert entry.xpath("a:published/text()", namespaces=ATOM)[0].startswith("2024-05-01")
    assert "Summarises learning" in entry.xpath("a:summary/text()", namespaces=ATOM)[0]
    link = entry.xpath("a:link[@rel='alternate']/@href", namespaces=ATOM)[0]
    assert link.endswith(catalogue["older"].url) and Client().get(link).status_code == 200


def test_feeds_per_subject_type_and_nation(catalogue):
    assert titles(read_feed("/feeds/subject/neglect/")) == ["Neglect matters"]
    assert titles(read_feed("/feeds/type/book/")) == ["Neglect matters"]
    assert titles(read_feed("/feeds/case-reviews/wales/")) == ["Child practice review: Baby W"]
    assert titles(read_feed("/feeds/case-reviews/scotland/")) == []


@pytest.mark.parametrize(
    "url", ["/feeds/subject/no-such/", "/feeds/type/poems/", "/feeds/case-reviews/mars/"]
)
def test_an_unknown_subject_type_or_nation_is_not_found(catalogue, url):
    assert Client().get(url).status_code == 404


def test_a_results_page_links_the_feed_of_its_search(catalogue):
    page = Client().get(catalogue["library"].url, {"q": "neglect", "page": "1"}).content
    html = etree.HTML(page)
    head_link = html.xpath(
        "//head/link[@type='application/atom+xml' and @title='This search']/@href"
    )
    visible = html.xpath("//main//a[@type='application/atom+xml']/@href")
    assert head_link == visible and "q=neglect" in visible[0] and "page=" not in visible[0]
    assert titles(read_feed(visible[0])) == ["Neglect matters"]


def test_every_page_head_offers_the_new_additions_feed(catalogue):
    html = etree.HTML(Client().get(catalogue["newer"].url).content)
    assert html.xpath("//head/link[@rel='alternate' and @type='application/atom+xml']/@href") == [
        "/feeds/new/"
    ]


def test_restricted_records_are_in_no_feed_even_for_their_group(catalogue, django_user_model):
    member = django_user_model.objects.create_user("member", is_superuser=True)
    client = Client()
    client.force_login(member)
    for url in ["/feeds/new/", "/feeds/subject/neglect/", "/feeds/search/?q=quokkaville"]:
        assert "Quokkaville" not in etree.tostring(read_feed(url, client)).decode()


def test_a_page_filtered_by_one_subject_offers_that_subjects_feed(catalogue):
    page = Client().get(catalogue["library"].url, {"subject": "neglect"}).content
    feeds = etree.HTML(page).xpath("//head/link[@type='application/atom+xml']/@href")
    assert "/feeds/subject/neglect/" in feeds
    assert titles(read_feed("/feeds/subject/neglect/")) == ["Neglect matters"]
