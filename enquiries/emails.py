"""The texts of the emails about an enquiry; the models store them in the outbox.

Each builder renders a plain-text template for an enquiry (or a reply) and returns it; it
imports no enquiries model, so the models can call it (`Enquiry.submit`, `send_reply`) without
an import cycle. None of them reads internal notes; the service mailbox's notification carries
no personal data and no question text, only a link to the admin.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from home.models import SiteSettings


@dataclass(frozen=True)
class Email:
    """One rendered email, before it is stored in the outbox."""

    recipient: str
    subject: str
    body: str


def site_settings(site: Site | None) -> SiteSettings | None:
    """The contact settings for `site`, or for the default site."""
    site = site or Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else None


def service_mailbox(site: Site | None = None) -> str:
    """The Information Service's address: the site setting, else ENQUIRIES_SERVICE_MAILBOX."""
    contacts = site_settings(site)
    if contacts and contacts.information_service_email:
        return contacts.information_service_email
    return settings.ENQUIRIES_SERVICE_MAILBOX


def admin_url(enquiry) -> str:
    """The enquiry's page in the admin, as an absolute address for emails."""
    path = reverse("enquiries_enquiry_modeladmin_inspect", args=[enquiry.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def acknowledgement(enquiry, site: Site | None = None) -> Email:
    """To the enquirer: the reference and what happens next."""
    return Email(
        recipient=enquiry.email,
        subject=f"Your enquiry to the Information Service: {enquiry.reference}",
        body=render_to_string(
            "enquiries/emails/acknowledgement.txt",
            {"enquiry": enquiry, "contacts": site_settings(site)},
        ),
    )


def staff_notification(enquiry, site: Site | None = None) -> Email:
    """To the service mailbox: that an enquiry arrived, with a link, never its content."""
    return Email(
        recipient=service_mailbox(site),
        subject=f"New enquiry {enquiry.reference}",
        body=render_to_string(
            "enquiries/emails/notification.txt",
            {"enquiry": enquiry, "admin_url": admin_url(enquiry)},
        ),
    )


def reply(enquiry_reply) -> Email:
    """To the enquirer: the reply's text and the catalogue records attached to it."""
    enquiry = enquiry_reply.enquiry
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    records = [
        {"title": record.title, "url": record.full_url or base_url + (record.url or "")}
        for record in enquiry_reply.records.all()
    ]
    return Email(
        recipient=enquiry.email,
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
