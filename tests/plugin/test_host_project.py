"""The apps installed from a built wheel into someone else's Wagtail site.

Builds the wheel from a copy of the sources, makes a fresh virtualenv that sees this one's
third-party packages (so nothing is downloaded) but not this checkout (so neither `config` nor
this repository's `home` can be imported), installs the wheel there, and writes a small host
project with its own settings, URLs, `home` app and base template. The host migrates a fresh
database (SQLite; with DATABASE_URL set to PostgreSQL, a new PostgreSQL database), creates a
catalogue record, a reading list and an enquiry form page, and serves them and the API through
Django's test client; the answers come back as JSON.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[2]
APPS = ["shelfmark_core", "library", "readinglists", "enquiries", "learning", "currentawareness"]

HOST_SETTINGS = """
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "a host site's own key, not Shelfmark's"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost"]

INSTALLED_APPS = [
    "home",  # the host's own home app, as `wagtail start` makes it
    # Shelfmark, from the wheel
    "shelfmark_core",
    "library",
    "library.search",
    "readinglists",
    "enquiries",
    "learning",
    "currentawareness",
    # what Shelfmark builds on, beside the host's usual Wagtail apps
    "wagtail.contrib.settings",
    "wagtail_modeladmin",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # the host's Wagtail
    "wagtail.api.v3",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "library.middleware.DocumentNoIndexMiddleware",
    "library.middleware.SearchUnavailableMiddleware",
]

ROOT_URLCONF = "hostsite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ]
        },
    }
]
DATABASES = {"default": __DATABASE__}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
WAGTAIL_SITE_NAME = "Northshire Safeguarding Partnership"
WAGTAILADMIN_BASE_URL = "http://localhost"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Shelfmark settings: only what this host changes; everything else has its default.
ENQUIRIES_MINIMUM_FILL_SECONDS = 0
ENQUIRIES_SERVICE_MAILBOX = "library@northshire.example"
"""

HOST_URLS = """
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("api/v3/", include("library.api.urls")),
    path("", include("library.urls")),
    path("subscriptions/", include("currentawareness.urls")),
    path("", include(wagtail_urls)),
]
"""

HOST_HOME_MODELS = """
from wagtail.models import Page


class HomePage(Page):
    pass
"""

# The host's own version of one of our templates, in its templates folder.
HOST_LANDING_TEMPLATE = """{% extends "base.html" %}
{% block content %}<p>Northshire has your question: {{ reference }}.</p>{% endblock %}
"""

HOST_BASE_TEMPLATE = """<!doctype html>
<html lang="en"><head><title>{% block title %}{% endblock %} | Northshire</title></head>
<body class="northshire-host"><header>Northshire Safeguarding Partnership</header>
<main>{% block content %}{% endblock %}</main></body></html>
"""

# Runs inside the host: builds content, requests pages and API answers, prints what it saw.
HOST_CHECK = """
import json
import os
import re

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostsite.settings")
django.setup()

import datetime

from django.core import mail
from django.test import Client
from wagtail.models import Page, Site

import enquiries
import library
from enquiries.models import Enquiry, EnquiryFormPage, EnquiryTopic
from library.models import CatalogueRecord, LibraryIndexPage
from readinglists.models import ReadingListIndexPage, ReadingListPage

root = Site.objects.get(is_default_site=True).root_page
library_index = root.add_child(instance=LibraryIndexPage(title="Library", slug="library"))
record = library_index.add_child(
    instance=CatalogueRecord(
        title="Neglect in adolescence: a briefing",
        record_type="report",
        publisher="Northshire Partnership",
        publication_year=2024,
        date_added=datetime.date.today(),
        abstract="<p>What practitioners notice about neglect of teenagers.</p>",
    )
)
record.save_revision().publish()
lists = root.add_child(instance=ReadingListIndexPage(title="Reading lists", slug="reading-lists"))
reading_list = lists.add_child(
    instance=ReadingListPage(
        title="Neglect: a reading list",
        slug="neglect",
        compiled=datetime.date(2024, 1, 1),
        compiler="the library",
        sections=[
            ("section", {"heading": "Start here", "introduction": "",
                         "entries": [("record", {"record": record, "annotation": "Short."})]})
        ],
    )
)
reading_list.save_revision().publish()
form_page = root.add_child(
    instance=EnquiryFormPage(title="Ask the library", slug="ask",
                             thank_you_text="<p>Thank you.</p>")
)
EnquiryTopic.objects.create(page=form_page, name="Neglect")

client = Client()
seen = {
    "library_file": library.__file__,
    "enquiries_file": enquiries.__file__,
}
for name, url in {
    "record": record.url,
    "reading_list": reading_list.url,
    "form": form_page.url,
    "search": "/search/?q=neglect",
    "api_search": "/api/v3/catalogue/search?q=neglect",
    "api_record": f"/api/v3/catalogue/records/{record.pk}",
    "api_lists": "/api/v3/reading-lists/",
    "api_unknown": "/api/v3/nothing-here",
    "oai": "/oai/?verb=Identify",
}.items():
    # The header search box's address redirects to the library's own results page.
    response = client.get(url, follow=name == "search")
    seen[name] = {
        "status": response.status_code,
        "type": response.get("Content-Type", ""),
        "body": response.content.decode()[:20000],
    }

form_html = seen["form"]["body"]
started = re.search(r'name="started" value="([^"]+)"', form_html)
answer = client.post(form_page.url, follow=True, data={
    "name": "Sam Okafor",
    "email": "sam@example.org",
    "organisation": "Northshire Council",
    "profession": "social-care",
    "nation": "england",
    "topic": "Neglect",
    "question": "Is there recent research on neglect in adolescents?",
    "consent": "on",
    "started": started.group(1) if started else "",
})
seen["enquiry_post"] = {"status": answer.status_code, "body": answer.content.decode()[:20000]}
seen["enquiries"] = list(Enquiry.objects.values_list("question", flat=True))
seen["enquiry_references"] = list(Enquiry.objects.values_list("reference", flat=True))
seen["emails_to"] = sorted(address for message in mail.outbox for address in message.to)
print("HOST-RESULT " + json.dumps(seen))
"""


def run(command, cwd, env=None, timeout=300):
    result = subprocess.run(  # noqa: S603 - our own interpreter and files
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def host_database(tmp_path):
    """A fresh database for the host: SQLite, or a new PostgreSQL database on the server
    DATABASE_URL names (dropped afterwards)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://")):
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "host.sqlite3")}
        return
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(url)
    name = f"{server['NAME']}_wheel_host"
    maintenance = {
        "host": server.get("HOST") or None,
        "port": server.get("PORT") or None,
        "user": server.get("USER") or None,
        "password": server.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**maintenance) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        **{key: server[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if server.get(key)},
    }
    with psycopg.connect(**maintenance) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_host(work: Path, database: dict) -> dict:
    """A host project with the wheel installed in its own virtualenv, migrated."""
    # Build from a copy, so the build leaves nothing in the checkout.
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPOSITORY / name, source / name)
    for app in APPS:
        shutil.copytree(
            REPOSITORY / app, source / app, ignore=shutil.ignore_patterns("__pycache__")
        )
    dist = work / "dist"
    run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-index",
         "--no-build-isolation", "--quiet", "-w", str(dist)],
        cwd=work,
    )  # fmt: skip
    (wheel,) = dist.glob("shelfmark-*.whl")

    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=work)
    python = venv / "bin" / "python"
    site_packages = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=work,
        ).stdout.strip()
    )
    run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--target", str(site_packages), str(wheel)],
        cwd=work,
    )  # fmt: skip
    # Third-party packages from this virtualenv, as a bare path: its .pth files (among them
    # the editable install of this checkout) are not run, so the checkout stays invisible.
    shared = sysconfig.get_paths()["purelib"]
    (site_packages / "zz_shared_packages.pth").write_text(shared + "\n")

    project = work / "project"
    for folder in ("hostsite", "home", "home/migrations", "templates"):
        (project / folder).mkdir(parents=True)
    for package in ("hostsite", "home", "home/migrations"):
        (project / package / "__init__.py").write_text("")
    (project / "hostsite" / "settings.py").write_text(
        textwrap.dedent(HOST_SETTINGS).replace("__DATABASE__", repr(database))
    )
    (project / "hostsite" / "urls.py").write_text(textwrap.dedent(HOST_URLS))
    (project / "home" / "models.py").write_text(textwrap.dedent(HOST_HOME_MODELS))
    (project / "templates" / "base.html").write_text(HOST_BASE_TEMPLATE)
    (project / "templates" / "enquiries").mkdir()
    (project / "templates" / "enquiries" / "enquiry_form_page_landing.html").write_text(
        HOST_LANDING_TEMPLATE
    )
    (project / "check_host.py").write_text(textwrap.dedent(HOST_CHECK))
    (project / "manage.py").write_text(
        "import os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hostsite.settings')\n"
        "from django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8"}
    run([str(python), "manage.py", "makemigrations", "home"], cwd=project, env=env)
    run([str(python), "manage.py", "migrate", "--no-input"], cwd=project, env=env)
    return {"python": python, "project": project, "env": env, "site_packages": site_packages}


def check_no_migrations_missing(host):
    """Our models match the migrations shipped in the wheel, on a database that never saw
    this repository (only the host's own home app had migrations to make)."""
    result = subprocess.run(  # noqa: S603
        [str(host["python"]), "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=host["project"],
        env=host["env"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def check_checkout_invisible(host):
    """The host sees the wheel's apps and its own home, never this repository's config."""
    probe = (
        "import importlib.util, home, library;"
        "print(importlib.util.find_spec('config'), home.__file__, library.__file__)"
    )
    out = run([str(host["python"]), "-c", probe], cwd=host["project"], env=host["env"]).stdout
    config_spec, home_file, library_file = out.split()
    assert config_spec == "None"
    assert home_file.startswith(str(host["project"]))
    assert library_file.startswith(str(host["site_packages"]))


def test_wheel_installs_into_a_host_site_that_serves_its_pages_and_api(tmp_path, host_database):
    # One test, not several sharing a fixture: under xdist each would build its own host.
    host = build_host(tmp_path, host_database)
    check_checkout_invisible(host)
    check_no_migrations_missing(host)

    out = run([str(host["python"]), "check_host.py"], cwd=host["project"], env=host["env"]).stdout
    (line,) = [line for line in out.splitlines() if line.startswith("HOST-RESULT ")]
    seen = json.loads(line.removeprefix("HOST-RESULT "))

    assert seen["library_file"].startswith(str(host["site_packages"]))

    # Pages render inside the host's own layout.
    for name in ("record", "reading_list", "form", "search"):
        assert seen[name]["status"] == 200, (name, seen[name]["body"][:2000])
        assert 'class="northshire-host"' in seen[name]["body"], name
    assert "Neglect in adolescence: a briefing" in seen["record"]["body"]
    assert "Neglect in adolescence: a briefing" in seen["reading_list"]["body"]
    assert "Neglect in adolescence: a briefing" in seen["search"]["body"]
    assert 'name="question"' in seen["form"]["body"]

    # The API, mounted with one line.
    assert seen["api_search"]["status"] == 200
    hits = json.loads(seen["api_search"]["body"])
    assert "Neglect in adolescence: a briefing" in json.dumps(hits)
    assert seen["api_record"]["status"] == 200
    assert json.loads(seen["api_record"]["body"])["title"] == "Neglect in adolescence: a briefing"
    assert seen["api_lists"]["status"] == 200
    assert "Neglect: a reading list" in seen["api_lists"]["body"]
    assert seen["api_unknown"]["status"] == 404
    assert seen["api_unknown"]["type"].startswith("application/problem+json")
    assert seen["oai"]["status"] == 200
    assert "Northshire Safeguarding Partnership" in seen["oai"]["body"]

    # An enquiry sent through the form is stored and the host's mailbox setting is used.
    assert seen["enquiry_post"]["status"] == 200, seen["enquiry_post"]["body"][:2000]
    # The host's own landing template replaced ours.
    reference = seen["enquiry_references"][0]
    assert f"Northshire has your question: {reference}." in seen["enquiry_post"]["body"]
    assert seen["enquiries"] == ["Is there recent research on neglect in adolescents?"]
    assert "library@northshire.example" in seen["emails_to"]
