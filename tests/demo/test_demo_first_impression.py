"""The demo as a first impression: a catalogue that answers ordinary questions, a restart that
loads nothing, accounts for each role, and absolute links at the address being served."""

import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from demo.models import DemoContentState
from library.models import CatalogueRecord
from readinglists.models import ReadingListPage

pytestmark = pytest.mark.django_db


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo_content", stdout=out, **options)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_a_restart_loads_nothing_and_writes_nothing():
    load()
    records = CatalogueRecord.objects.count()
    with CaptureQueriesContext(connection) as queries:
        output = load()
    assert "already loaded" in output
    assert CatalogueRecord.objects.count() == records
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert len(queries) < 10


def test_the_synthetic_catalogue_covers_nations_types_years_and_themes(client):
    load(records=400)
    records = CatalogueRecord.objects.live()
    assert records.count() >= 400
    nations = set(records.exclude(nation="").values_list("nation", flat=True))
    assert nations == {"england", "wales", "scotland", "northern-ireland"}
    assert len(set(records.values_list("record_type", flat=True))) == 7
    years = records.exclude(publication_year=None).values_list("publication_year", flat=True)
    assert min(years) < 1990 and max(years) > 2015
    assert records.filter(subjects__name="Neglect").count() >= 10
    # Searchable at once: an ordinary question finds Welsh records about neglect.
    html = client.get("/library/?q=neglect&nation=wales").content.decode()
    assert "0 records found" not in html and "records found" in html


def test_the_same_demo_every_time():
    load(records=100)
    first = list(CatalogueRecord.objects.order_by("title").values_list("title", flat=True))
    CatalogueRecord.objects.all().delete()
    DemoContentState.objects.all().delete()  # a new database
    load(records=100)
    again = list(CatalogueRecord.objects.order_by("title").values_list("title", flat=True))
    assert first == again


@override_settings(DEBUG=True)
def test_demo_accounts_for_each_role_sign_in_with_the_demo_password(client):
    load()
    roles = {
        "librarian": "Librarians",
        "librarian2": "Librarians",
        "editor": "Editors",
        "information-service": "Information Service",
    }
    users = get_user_model().objects
    for username, group in roles.items():
        assert users.get(username=username).groups.filter(name=group).exists(), username
    for username in ("librarian", "librarian2", "editor"):
        assert client.login(username=username, password="shelfmark-demo"), username
        assert client.get("/admin/").status_code == 200


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8401")
def test_absolute_links_use_the_address_being_served(client):
    load()
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8401"
    reading_list = ReadingListPage.objects.live().first()
    html = client.get(reading_list.url + "print/").content.decode()
    assert f"This list is online at http://127.0.0.1:8401{reading_list.url}" in html


def test_the_dev_settings_take_the_address_from_make_runs_port():
    code = "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "PORT": "8401",
    }
    env.pop("WAGTAILADMIN_BASE_URL", None)
    answer = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert answer.stdout.strip() == "http://127.0.0.1:8401"


@override_settings(DEBUG=True)
def test_the_home_page_is_the_services_front_door(client):
    load()
    html = client.get("/").content.decode()
    for heading in (
        "Search the catalogue",
        "National case review repository",
        "New in the library",
        "Reading lists",
        "Information Service",
    ):
        assert heading in html, heading
    assert 'action="/search/"' in html and 'href="/search/help/"' in html
    assert "published case reviews from the four UK nations" in html
    assert 'href="/enquiry/"' in html and 'href="/reading-lists/"' in html
    assert html.count('<li><a href="/library/') >= 5  # the newest records, by name


def test_make_runs_preparation_migrates_loads_once_and_recovers_in_one_process():
    first, again = io.StringIO(), io.StringIO()
    call_command("prepare_demo_site", stdout=first)
    call_command("prepare_demo_site", stdout=again)
    assert "Demo content is ready" in first.getvalue()
    assert "already loaded" in again.getvalue()
