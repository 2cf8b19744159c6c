"""Headless Chromium (Debian's package) driven by Playwright, with axe-core checks.

Browser tests skip when Chromium is absent, except in CI (SHELFMARK_REQUIRE_BROWSER=1),
where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", shutil.which("chromium") or ""]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BLOCKING_IMPACTS = {"serious", "critical"}

# Playwright's sync API runs an event loop in this thread; the ORM calls tests make between
# page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("SHELFMARK_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here but was not found; apt-get install chromium.")
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page and fail on any serious or critical violation."""

    def check(page):
        results = axe.run(page)
        blocking = [
            violation
            for violation in results.response["violations"]
            if violation.get("impact") in BLOCKING_IMPACTS
        ]
        details = "\n".join(
            f"{v['impact']}: {v['id']} – {v['help']} at "
            + ", ".join(node["target"][0] for node in v["nodes"][:5])
            for v in blocking
        )
        assert not blocking, f"axe found problems on {page.url}:\n{details}"
        return results

    return check
