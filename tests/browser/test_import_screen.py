"""The admin's import screen in Chromium, with and without JavaScript, checked by axe."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from library.models import CatalogueRecord
from library.workflow import librarians_group
from tests.factories.home import make_site
from tests.factories.library import LibraryIndexPageFactory

pytestmark = pytest.mark.django_db(transaction=True)
RIS = Path(__file__).resolve().parents[1] / "library" / "import_files" / "zotero.ris"


@pytest.fixture
def librarian():
    LibraryIndexPageFactory(parent=make_site(), title="Library catalogue")
    user = get_user_model().objects.create_user("lib", "lib@example.org", "a-long-password")
    # A transactional test empties the tables the migrations filled: give the group back.
    group = librarians_group()
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def sign_in(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("lib")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_librarian_uploads_previews_and_imports(
    request, javascript, live_server, librarian, assert_accessible
):
    page = request.getfixturevalue("page" if javascript else "page_without_js")

    def check_accessible():
        # axe runs as a script in the page, so it checks the pages JavaScript renders.
        if javascript:
            assert_accessible(page)

    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/catalogue-import/")
    check_accessible()
    page.get_by_label("File to import").set_input_files(str(RIS))
    page.get_by_role("button", name="Upload and preview").click()

    page.get_by_role("heading", name="Preview (nothing written yet)").wait_for()
    assert "imported 2, updated 0, rejected 2" in page.locator("#import-summary").inner_text()
    assert "no title" in page.locator("#import-rejections").inner_text()
    assert page.get_by_role("cell", name="Serious case reviews: learning to use expertise").count()
    check_accessible()
    assert not CatalogueRecord.objects.exists()

    page.get_by_role("button", name="Import these records").click()
    # The worker runs the task (the test settings run tasks at once); the page shows the report.
    page.get_by_role("heading", name="Report").wait_for()
    assert page.locator("#import-summary").inner_text() == "imported 2, updated 0, rejected 2"
    check_accessible()
    assert CatalogueRecord.objects.count() == 2
