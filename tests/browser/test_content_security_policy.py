"""Every kind of page works under the Content-Security-Policy: the public site, the Wagtail
page editor, the API docs and the partner widget's demo load with no CSP violation."""

import pytest
from django.contrib.auth import get_user_model
from pytest_django.live_server_helper import LiveServer

from library.models import RecordType
from tests.factories.enquiries import EnquiryFormPageFactory
from tests.factories.home import make_site
from tests.factories.library import (
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    RecordDocumentFactory,
)
from tests.factories.readinglists import (
    ReadingListIndexPageFactory,
    ReadingListPageFactory,
    citation_entry,
    record_entry,
    section,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Installed before any page script runs; the browser reports each blocked load or inline code.
VIOLATION_LISTENER = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
        + ` at ${event.sourceFile}:${event.lineNumber}`
    );
});
"""


@pytest.fixture
def site_url(page):
    """The site as production serves it, static files through WhiteNoise in the middleware
    stack: pytest-django's live server answers /static/ before any middleware runs."""
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda handler: handler
    server.start()
    yield server.url
    # The browser first, so no request (such as the editor's unload beacon) outlives the server.
    page.context.close()
    server.stop()


@pytest.fixture
def violations(page):
    """A function returning every CSP violation the browser reported on the current page."""
    console = []
    page.add_init_script(VIOLATION_LISTENER)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def reported():
        return console + page.evaluate("window.cspViolations || []")

    return reported


@pytest.fixture
def content():
    home = make_site()
    library = LibraryIndexPageFactory(parent=home)
    record = CatalogueRecordFactory(
        parent=library,
        title="Neglect in the early years",
        record_type=RecordType.REPORT,
        publication_year=2019,
        abstract="<p>What health visitors see first.</p>",
        contributors=2,
    )
    RecordDocumentFactory(record=record, label="Full report")
    lists = ReadingListIndexPageFactory(parent=home)
    reading_list = ReadingListPageFactory(
        parent=lists,
        title="Neglect: a reading list",
        sections=[
            section(
                "Guidance",
                [record_entry(record), citation_entry("Working together", year=2018)],
                introduction="<p>Start with the guidance.</p>",
            )
        ],
    )
    enquiry = EnquiryFormPageFactory(parent=home)
    return {"record": record, "list": reading_list, "enquiry": enquiry}


def visit(page, url: str) -> str:
    """Open `url`, wait for its scripts and loads to settle, and return its CSP header."""
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, url
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, f"{url} was served without the policy"
    return policy


def test_the_listener_catches_inline_code_the_policy_blocks(page, violations, site_url, content):
    visit(page, site_url + "/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.ranInline") is None
    assert any("script-src" in violation for violation in violations())


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/library/",
        "record",
        "/search/?q=neglect",
        "/reading-lists/",
        "list",
        "list:print/",
        "list:bibliography/",
        "enquiry",
    ],
)
def test_public_pages_load_under_a_strict_policy(page, violations, site_url, content, path):
    name, _colon, suffix = path.partition(":")
    url = path if path.startswith("/") else content[name].url + suffix
    policy = visit(page, site_url + url)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert violations() == []


def test_the_api_docs_work_under_the_policy(page, violations, site_url, content):
    visit(page, site_url + "/api/v3/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.wait_for()
    assert violations() == []


def test_the_widget_demo_searches_under_the_policy(page, violations, site_url, content):
    visit(page, site_url + "/static/library/widget/demo.html")
    box = page.get_by_label("Search the library catalogue")
    box.fill("neglect")
    box.press("Enter")
    page.get_by_role("status").filter(has_text="1 record found").wait_for()
    # The widget's own stylesheet applied: its button is styled, not the browser default.
    button = page.locator(".shelfmark-widget button")
    assert button.evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(29, 59, 106)"
    assert violations() == []


def test_the_admin_page_editor_works_under_the_policy(page, violations, site_url, content):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password")
    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site_url + "/admin/")
    visit(page, site_url + "/admin/")
    assert violations() == []
    for name in ("record", "list"):
        visit(page, f"{site_url}/admin/pages/{content[name].pk}/edit/")
        page.locator(".Draftail-Editor").first.wait_for()
        assert violations() == [], name
    # Editors see the public site with Wagtail's user bar, under the public policy.
    visit(page, site_url + content["record"].url)
    page.locator("wagtail-userbar").wait_for(state="attached")
    assert violations() == []
