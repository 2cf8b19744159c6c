"""The admin's import screen: librarians only, a dry-run preview, then a background import."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.models import CatalogueRecord, ImportRun
from library.models.workflow import LIBRARIANS_GROUP
from tests.factories.library import LibraryIndexPageFactory

FILES = Path(__file__).parent / "import_files"

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(home_page):
    return LibraryIndexPageFactory(parent=home_page)


@pytest.fixture
def librarian(client):
    user = get_user_model().objects.create_user("lib", "lib@example.org", "pw")
    user.groups.add(Group.objects.get(name=LIBRARIANS_GROUP))
    client.force_login(user)
    return user


def upload(client, name="zotero.ris", **extra):
    data = (FILES / name).read_bytes()
    return client.post(
        reverse("library_import"),
        {"upload": SimpleUploadedFile(name, data), "format": "", **extra},
    )


def test_other_staff_cannot_open_or_use_the_import_screen(client, library):
    staff = get_user_model().objects.create_user("editor", "e@example.org", "pw")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    # Wagtail answers a refused admin view by sending the user back to the dashboard.
    assert client.get(reverse("library_import"))["Location"] == reverse("wagtailadmin_home")
    assert upload(client, parent=library.pk)["Location"] == reverse("wagtailadmin_home")
    assert not ImportRun.objects.exists()


def test_a_librarian_previews_then_imports_in_the_background(
    client, library, librarian, django_capture_on_commit_callbacks
):
    response = upload(client, parent=library.pk)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.upload.name and run.status == ImportRun.Status.PREVIEWED
    assert not CatalogueRecord.objects.exists(), "A preview writes nothing."
    preview = client.get(response["Location"]).content.decode()
    assert "imported 2, updated 0, rejected 2" in preview
    assert "Serious case reviews" in preview
    assert "record 3 (line 28): no title" in preview
    assert "bad ISBN" in preview

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("library_import_start", args=[run.pk]))

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FINISHED
    assert run.summary == "imported 2, updated 0, rejected 2"
    assert CatalogueRecord.objects.count() == 2
    report = client.get(reverse("library_import_run", args=[run.pk])).content.decode()
    assert "imported 2, updated 0, rejected 2" in report
    assert "no title" in report
    # Starting it again does nothing: the run is finished.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("library_import_start", args=[run.pk]))
    assert CatalogueRecord.objects.count() == 2


def test_an_unreadable_upload_is_explained_not_an_error(client, library, librarian):
    response = client.post(
        reverse("library_import"),
        {"upload": SimpleUploadedFile("notes.txt", b"just words\n"), "parent": library.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "The file could not be read" in response.content.decode()
    empty = client.post(
        reverse("library_import"),
        {"upload": SimpleUploadedFile("empty.ris", b""), "parent": library.pk},
    )
    assert empty.status_code == 200
    assert "empty" in empty.content.decode()
