"""Current awareness in a real browser without JavaScript: sign-up (and its errors), manage,
unsubscribe, a past issue page and a rendered digest email, each checked with axe."""

import datetime

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from currentawareness.emails import DigestRenderer
from currentawareness.links import MANAGE_SALT, UNSUBSCRIBE_SALT, make_token
from currentawareness.matching import new_public_items, site_links
from currentawareness.models import DigestIssuePage, Subscriber
from shelfmark_core.models import SiteSettings
from tests.factories.currentawareness import archive_page, subscriber
from tests.factories.home import make_site
from tests.factories.library import (
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    RecommendationFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date.today()


@pytest.fixture
def world(live_server, settings):
    settings.CURRENTAWARENESS_MINIMUM_FILL_SECONDS = 0
    home = make_site()
    contacts = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    contacts.helpline_phone = "0808 800 5000"
    contacts.save()
    library = LibraryIndexPageFactory(parent=home)
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    SubjectFactory(name="Chronic neglect", slug="chronic-neglect", broader=neglect)
    CatalogueRecordFactory(parent=library, title="Neglect: a practice guide", subjects=[neglect])
    review = CaseReviewFactory(
        parent=CaseReviewIndexPageFactory(parent=home), title="Case review: Child T"
    )
    RecommendationFactory(review=review)
    archive = archive_page(home)
    return {"url": live_server.url, "archive": archive}


def test_sign_up_and_its_error_state_pass_axe(world, page, assert_accessible):
    page.goto(world["url"] + "/subscriptions/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("CASPAR topic alerts (weekly)").check()
    page.get_by_label("Chronic neglect").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)
    assert Subscriber.objects.filter(email="pat@example.org", confirmed_at=None).exists()


def test_manage_and_unsubscribe_pages_pass_axe(world, page, assert_accessible):
    person = subscriber("pat@example.org", services=["caspar"], searches=["q=neglect"])
    page.goto(world["url"] + f"/subscriptions/manage/{make_token(MANAGE_SALT, person.key)}/")
    assert_accessible(page)
    page.get_by_label("New in the Library (weekly)").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    assert_accessible(page)
    page.goto(
        world["url"] + f"/subscriptions/unsubscribe/{make_token(UNSUBSCRIBE_SALT, person.key)}/"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe me").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert_accessible(page)
    person.refresh_from_db()
    assert person.unsubscribed_at is not None and "new-in-library" in person.services


def test_a_past_issue_page_and_the_archive_pass_axe(world, page, assert_accessible):
    issue = DigestIssuePage(
        title="Case reviews update: this month",
        slug="case-reviews-this-month",
        service="case-reviews",
        period_start=TODAY.replace(day=1),
        period_end=TODAY,
        introduction="<p>Two reviews on neglect.</p>",
    )
    world["archive"].add_child(instance=issue)
    page.goto(world["url"] + issue.url)
    expect(page.get_by_text("Case review: Child T")).to_be_visible()
    expect(page.get_by_text("0808 800 5000")).to_be_visible()
    assert_accessible(page)
    page.goto(world["url"] + world["archive"].url)
    expect(page.get_by_role("link", name="Case reviews update: this month")).to_be_visible()
    assert_accessible(page)


def test_a_rendered_digest_email_passes_axe(world, page, assert_accessible):
    issue = DigestIssuePage(
        title="New in the Library: this week",
        slug="new-this-week",
        service="new-in-library",
        period_start=TODAY - datetime.timedelta(days=6),
        period_end=TODAY,
        introduction="<p>A week of guidance.</p>",
    )
    world["archive"].add_child(instance=issue)
    links = site_links()
    items = new_public_items(issue.period_start, TODAY, links)
    digest = (
        DigestRenderer(issue, links)
        .render(items)
        .for_links("http://localhost/manage", "http://localhost/unsubscribe")
    )
    page.set_content(digest.html)
    expect(page.get_by_role("link", name="Neglect: a practice guide")).to_be_visible()
    expect(page.get_by_role("link", name="Unsubscribe")).to_be_visible()
    assert_accessible(page)


def test_sign_up_and_one_click_unsubscribe_work_without_javascript(world, page_without_js):
    page = page_without_js
    page.goto(world["url"] + "/subscriptions/")
    page.get_by_label("Email address").fill("nojs@example.org")
    page.get_by_label("New in the Library (weekly)").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    person = subscriber("reader@example.org")
    page.goto(
        world["url"] + f"/subscriptions/unsubscribe/{make_token(UNSUBSCRIBE_SALT, person.key)}/"
    )
    page.get_by_role("button", name="Unsubscribe me").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
