"""The one smoke test of the demo content: it loads, and loading it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page, Site


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
