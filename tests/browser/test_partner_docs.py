"""What a partner developer meets: the API docs (own endpoints first, grouped, described, with
the guide a click away) and the widget demo with the two parts to copy; all pass axe."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_show_the_described_groups_and_link_to_the_guide(
    page, live_server, assert_accessible
):
    page.goto(live_server.url + "/api/v3/docs/")
    page.locator(".opblock-tag-section").first.wait_for()
    groups = [heading.get_attribute("data-tag") for heading in page.locator("h3.opblock-tag").all()]
    assert groups == [
        "catalogue",
        "subjects",
        "reading lists",
        "learning from case reviews",
        "enquiries",
    ]
    expect(
        page.get_by_text("Search the library catalogue and case review repository")
    ).to_be_visible()
    assert_accessible(page)
    assert page.get_by_role("link", name="Read the partner guide").get_attribute("href") == (
        "/api/v3/guide/"
    )
    page.get_by_role("link", name="Partner guide", exact=True).click()
    page.wait_for_url(live_server.url + "/api/v3/guide/")
    assert page.get_by_role("heading", level=1).inner_text() == "The partner API"
    assert_accessible(page)


def test_widget_demo_shows_the_two_parts_to_copy(page, live_server, assert_accessible):
    page.goto(live_server.url + "/static/library/widget/demo.html")
    parts = page.locator("pre code").all_inner_texts()
    assert len(parts) == 2
    assert "data-shelfmark-search" in parts[0] and "Search the library catalogue" in parts[0]
    assert "shelfmark-widget.js" in parts[1] and parts[1].startswith("<script")
    for part in page.locator("pre").all():
        expect(part).to_be_visible()
    assert_accessible(page)
