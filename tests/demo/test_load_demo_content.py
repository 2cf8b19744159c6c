"""The one smoke test of the demo content: it loads, and loading it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page, Site

from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("url_path", flat=True)),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_content_loads_and_is_idempotent(client):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert snapshot() == first
    assert Site.objects.get(is_default_site=True).root_page.specific_class.__name__ == "HomePage"
    assert "/home/about/" in first["pages"]
    assert client.get("/").status_code == 200
    assert client.get("/about/").status_code == 200
    assert client.login(username="admin", password="shelfmark-demo")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_pages_built_under_wagtails_welcome_page_survive_the_demo_load():
    # A fresh Wagtail database has the welcome page as the site root; a catalogue built
    # there first (as a bulk load does) must not be deleted with it.
    welcome = Page.objects.get(depth=2, slug="home")
    assert welcome.specific_class is Page
    library = LibraryIndexPageFactory(parent=welcome)
    record = CatalogueRecordFactory(parent=library, title="Kept through the demo load")
    call_command("load_demo_content", records=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Page.objects.get(pk=record.pk).url_path == "/home/library/kept-through-the-demo-load/"
    assert not Page.objects.filter(pk=welcome.pk).exists()
