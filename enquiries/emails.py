"""The emails about an enquiry, written into the outbox (see OutgoingMessage).

Each builder renders a plain-text template and stores the result once per enquiry and kind
(once per reply). None of them reads internal notes; the service mailbox's notification
carries no personal data and no question text, only a link to the admin.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from enquiries.models import Enquiry, EnquiryReply, MessageKind, OutgoingMessage
from home.models import SiteSettings


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


def admin_url(enquiry: Enquiry) -> str:
    """The enquiry's page in the admin, as an absolute address for emails."""
    path = reverse("enquiries_enquiry_modeladmin_inspect", args=[enquiry.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def store(enquiry: Enquiry, kind: str, recipient: str, subject: str, template: str, context):
    """Render and store one message; an existing one for the same enquiry and kind is kept."""
    message, _ = OutgoingMessage.objects.get_or_create(
        enquiry=enquiry,
        kind=kind,
        reply=context.get("reply"),
        defaults={
            "recipient": recipient,
            "subject": subject,
            "body": render_to_string(template, context),
        },
    )
    return message


def acknowledgement(enquiry: Enquiry, site: Site | None = None) -> OutgoingMessage:
    """To the enquirer: the reference and what happens next."""
    return store(
        enquiry,
        MessageKind.ACKNOWLEDGEMENT,
        enquiry.email,
        f"Your enquiry to the Information Service: {enquiry.reference}",
        "enquiries/emails/acknowledgement.txt",
        {"enquiry": enquiry, "contacts": site_settings(site)},
    )


def staff_notification(enquiry: Enquiry, site: Site | None = None) -> OutgoingMessage:
    """To the service mailbox: that an enquiry arrived, with a link, never its content."""
    return store(
        enquiry,
        MessageKind.NOTIFICATION,
        service_mailbox(site),
        f"New enquiry {enquiry.reference}",
        "enquiries/emails/notification.txt",
        {"enquiry": enquiry, "admin_url": admin_url(enquiry)},
    )


def reply(enquiry_reply: EnquiryReply) -> OutgoingMessage:
    """To the enquirer: the reply's text and the catalogue records attached to it."""
    enquiry = enquiry_reply.enquiry
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    records = [
        {"title": record.title, "url": record.full_url or base_url + (record.url or "")}
        for record in enquiry_reply.records.all()
    ]
    return store(
        enquiry,
        MessageKind.REPLY,
        enquiry.email,
        f"Re: your enquiry {enquiry.reference}",
        "enquiries/emails/reply.txt",
        {
            "enquiry": enquiry,
            "reply": enquiry_reply,
            "records": records,
            "contacts": site_settings(None),
        },
    )
