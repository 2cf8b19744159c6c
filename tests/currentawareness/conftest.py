"""Fixtures for current awareness: a site with the library and the archive page, a known
week, and a real local SMTP server that can refuse chosen addresses."""

import datetime

import pytest
from aiosmtpd.controller import Controller
from wagtail.models import Site

from shelfmark_core.models import SiteSettings
from tests.enquiries.conftest import Inbox, SMTPServer
from tests.factories.currentawareness import archive_page
from tests.factories.home import make_site
from tests.factories.library import CaseReviewIndexPageFactory, LibraryIndexPageFactory

# Runs happen "on" this Monday: the weekly issue covers the week before, 16 to 22 November,
# and the monthly one October.
RUN_DAY = datetime.date(2026, 11, 23)
IN_PERIOD = datetime.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def quick_forms(settings):
    from django.core.cache import cache

    settings.CURRENTAWARENESS_MINIMUM_FILL_SECONDS = 0
    cache.clear()


@pytest.fixture
def site(db):
    home = make_site()
    contacts = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    contacts.helpline_phone = "0808 800 5000"
    contacts.save()
    return {
        "home": home,
        "library": LibraryIndexPageFactory(parent=home),
        "repository": CaseReviewIndexPageFactory(parent=home),
        "archive": archive_page(home),
    }


class RefusingInbox(Inbox):
    """Takes mail like Inbox, but refuses (550) addresses that start with "gone"."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class RefusingSMTPServer(SMTPServer):
    def __init__(self):
        super().__init__()
        self.inbox = RefusingInbox()

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()


@pytest.fixture
def smtp(settings):
    """Email goes by SMTP to a local aiosmtpd server."""
    server = RefusingSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()
