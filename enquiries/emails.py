"""The texts of the emails about an enquiry; the models store them in the outbox.

Each builder renders a plain-text template for an enquiry (or a reply) and returns it; it
imports no enquiries model, so the models can call it (`Enquiry.submit`, `send_reply`) without
an import cycle. None of them reads internal notes. The service mailbox's notification carries
what an officer needs to triage (the profession, nation, topic and the opening of the question)
and never the enquirer's name, email address or organisation. Emails to the enquirer carry the
Information Service's address as Reply-To, so "reply to this email" reaches the service.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from wagtail.models import Site

from shelfmark_core.conf import app_setting
from shelfmark_core.models import SiteSettings

# How much of the question the service mailbox's notification quotes.
NOTIFICATION_QUESTION_CHARS = 300


@dataclass(frozen=True)
class Email:
    """One rendered email, before it is stored in the outbox."""

    recipient: str
    subject: str
    body: str
    reply_to: str = ""


def site_settings(site: Site | None) -> SiteSettings | None:
    """The contact settings for `site`, or for the default site."""
    site = site or Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else None


def service_mailbox(site: Site | None = None) -> str:
    """The Information Service's address: the site setting, else ENQUIRIES_SERVICE_MAILBOX."""
    contacts = site_settings(site)
    if contacts and contacts.information_service_email:
        return contacts.information_service_email
    return app_setting("ENQUIRIES_SERVICE_MAILBOX")


def admin_url(enquiry) -> str:
    """The enquiry's page in the admin, as an absolute address for emails."""
    path = reverse("enquiries_enquiry_modeladmin_inspect", args=[enquiry.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def acknowledgement(enquiry, site: Site | None = None) -> Email:
    """To the enquirer: the reference and what happens next."""
    return Email(
        recipient=enquiry.email,
        reply_to=service_mailbox(site),
        subject=f"Your enquiry to the Information Service: {enquiry.reference}",
        body=render_to_string(
            "enquiries/emails/acknowledgement.txt",
            {"enquiry": enquiry, "contacts": site_settings(site)},
        ),
    )


def question_opening(question: str) -> str:
    """The start of a question, enough to triage from, on one line."""
    return Truncator(" ".join(question.split())).chars(NOTIFICATION_QUESTION_CHARS)


def staff_notification(enquiry, site: Site | None = None) -> Email:
    """To the service mailbox: what arrived and where to answer it, without the enquirer's
    identity."""
    return Email(
        recipient=service_mailbox(site),
        subject=f"New enquiry {enquiry.reference}: {enquiry.get_profession_display()}"
        + (f", {enquiry.topic}" if enquiry.topic else ""),
        body=render_to_string(
            "enquiries/emails/notification.txt",
            {
                "enquiry": enquiry,
                "question_opening": question_opening(enquiry.question),
                "admin_url": admin_url(enquiry),
            },
        ),
    )


def reply(enquiry_reply, records=None) -> Email:
    """To the enquirer: the reply's text and its catalogue records, in the order given (the
    order staff chose them in); without `records`, those stored with the reply."""
    enquiry = enquiry_reply.enquiry
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    records = [
        {"title": record.title, "url": record.full_url or base_url + (record.url or "")}
        for record in (enquiry_reply.records.all() if records is None else records)
    ]
    return Email(
        recipient=enquiry.email,
        reply_to=service_mailbox(None),
        subject=f"Re: your enquiry {enquiry.reference}",
        body=render_to_string(
            "enquiries/emails/reply.txt",
            {
                "enquiry": enquiry,
                "reply": enquiry_reply,
                "records": records,
                "contacts": site_settings(None),
            },
        ),
    )
