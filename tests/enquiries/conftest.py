"""Fixtures for enquiry tests: a site with the form page, and a real local SMTP server."""

import os
import socket
import sqlite3
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from wagtail.models import Site

from shelfmark_core.models import SiteSettings
from tests.factories.enquiries import EnquiryFormPageFactory
from tests.factories.home import make_site


@pytest.fixture
def form_page(db):
    """The enquiry form page under a fresh home page, with the service's contact settings."""
    home = make_site()
    contacts = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    contacts.information_service_email = "service@example.org"
    contacts.helpline_phone = "0808 800 5000"
    contacts.save()
    return EnquiryFormPageFactory(parent=home)


@pytest.fixture(autouse=True)
def quick_form(settings):
    """No minimum fill time unless a test asks for one; caches start empty."""
    from django.core.cache import cache

    settings.ENQUIRIES_MINIMUM_FILL_SECONDS = 0
    cache.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """Collects what the SMTP server received."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(
                {
                    "to": envelope.rcpt_tos,
                    "data": envelope.content.decode("utf-8", errors="replace"),
                }
            )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[dict]:
        return [message for message in self.messages if address in message["to"]]


class SMTPServer:
    """An aiosmtpd server on a fixed local port that a test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """Email goes by SMTP to a local aiosmtpd server (started; stop it to simulate an outage)."""
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()


def settings_for_subprocess(tmp_path: Path, name: str, lines: list[str]) -> dict:
    """The environment for a manage.py or gunicorn process on this test's database.

    The test settings plus `lines`, as module `name` in `tmp_path`: on SQLite a WAL file
    copied from the in-memory test database now (the process sees what was committed before
    this call and the test no longer sees what the process writes), on PostgreSQL the test
    database itself.
    """
    module = [f"from {os.environ['DJANGO_SETTINGS_MODULE']} import *  # noqa", *lines]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": name,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    if connection.vendor == "sqlite":
        database_file = tmp_path / f"{name}.sqlite3"
        copy = sqlite3.connect(database_file)
        try:
            connection.ensure_connection()
            connection.connection.backup(copy)
        finally:
            copy.close()
        module += [
            "from config.settings.environment import database_from_env",
            f"DATABASES = {{'default': database_from_env({str(database_file)!r})}}",
            "DATABASES['default'].pop('TEST', None)",
        ]
        env.pop("DATABASE_URL", None)
    else:
        module.append(f"DATABASES['default']['NAME'] = {connection.settings_dict['NAME']!r}")
    (tmp_path / f"{name}.py").write_text("\n".join(module) + "\n")
    return env
