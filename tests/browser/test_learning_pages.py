"""Learning pages in Chromium with axe: a briefing, its print view and PDF, a nation page, a
year page and the repository chart; each works without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.factories.home import make_site
from tests.learning.conftest import repository as learning_repository  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home_page():
    return make_site()


@pytest.fixture
def learning(learning_repository):  # noqa: F811
    return learning_repository


def urls(learning) -> dict:
    return {
        "briefing": learning.briefing.url,
        "print": learning.briefing.url + "print/",
        "nation": learning.england.url,
        "year": learning.learning.url + "years/2016/",
        "chart": learning.reviews["x"].get_parent().url,
        "recommendations": learning.learning.url + "recommendations/",
    }


@pytest.mark.parametrize(
    "where", ["briefing", "print", "nation", "year", "chart", "recommendations"]
)
def test_learning_pages_pass_axe(live_server, page, assert_accessible, learning, where):
    page.goto(live_server.url + urls(learning)[where])
    assert page.locator("h1").count() == 1
    expect(page.get_by_text("Content notice:")).to_be_visible()
    assert_accessible(page)


def test_the_chart_is_drawn_and_its_table_opens(live_server, page, learning):
    page.goto(live_server.url + urls(learning)["chart"])
    chart = page.locator('svg[data-chart="reviews-by-nation"]')
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() == 3
    table = page.locator('table[data-chart-table="reviews-by-nation"]')
    assert table.is_hidden()
    page.get_by_text("Show the numbers as a table").click()
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() == 3  # 2014, 2015 and 2016


def test_the_briefing_filters_without_javascript(live_server, page_without_js, learning):
    page = page_without_js
    page.goto(live_server.url + learning.briefing.url)
    page.get_by_label("Nation").select_option("wales")
    page.get_by_role("button", name="Show reviews").click()
    assert "nation=wales" in page.url
    expect(page.get_by_text("1 case review", exact=True)).to_be_visible()


def test_the_pdf_link_downloads_the_seven_minute_sheet(live_server, page, learning):
    page.goto(live_server.url + learning.briefing.url)
    response = page.request.get(live_server.url + learning.briefing.url + "pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    expect(page.get_by_role("link", name="7-minute learning (PDF)")).to_be_visible()


def test_the_print_view_on_paper_hides_the_site_chrome(live_server, page, learning):
    page.goto(live_server.url + learning.briefing.url + "print/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.get_by_text("Back to the briefing").is_hidden()
    expect(page.get_by_role("heading", name="What to look for: key risk factors")).to_be_visible()
