"""The texts of current awareness email: confirmation links and the digests themselves.

A digest is rendered once per distinct set of records (most subscribers share theirs) with
placeholders for the subscriber's own signed links, which are filled in per subscriber; each
record's part of the email is rendered once per run and reused by every digest listing it.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from currentawareness.choices import SERVICE_TITLES, Service
from currentawareness.matching import absolute_url
from shelfmark_core.models import SiteSettings

MANAGE_PLACEHOLDER = "ca-manage-link-placeholder"
UNSUBSCRIBE_PLACEHOLDER = "ca-unsubscribe-link-placeholder"


def _split(body: str) -> tuple:
    """`body` cut at the link placeholders, once per rendered digest: each subscriber's copy
    is joined from the pieces rather than searched again (a digest can run to megabytes)."""
    pieces = []
    for part in body.split(MANAGE_PLACEHOLDER):
        pieces.append(tuple(part.split(UNSUBSCRIBE_PLACEHOLDER)))
    return tuple(pieces)


def _fill(pieces: tuple, manage: str, unsubscribe: str) -> str:
    return manage.join(unsubscribe.join(part) for part in pieces)


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str

    def for_links(self, manage: str, unsubscribe: str) -> "RenderedDigest":
        pieces = self.__dict__.get("_pieces")
        if pieces is None:
            pieces = (_split(self.text), _split(self.html))
            object.__setattr__(self, "_pieces", pieces)
        return RenderedDigest(
            self.subject,
            _fill(pieces[0], manage, unsubscribe),
            _fill(pieces[1], manage, unsubscribe),
        )


def contacts() -> SiteSettings | None:
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else None


def confirmation(confirm_url: str, services: list[str], search: str) -> tuple[str, str]:
    """(subject, body) asking the owner of an address to confirm a sign-up."""
    return (
        _("Confirm your subscription to the library's current awareness emails"),
        render_to_string(
            "currentawareness/emails/confirm.txt",
            {
                "confirm_url": confirm_url,
                "services": [SERVICE_TITLES[Service(service)] for service in services],
                "search": search,
            },
        ),
    )


def manage_reminder(manage_url: str, confirm_url: str) -> tuple[str, str]:
    """(subject, body) for an address already subscribed: the same answer on screen, and by
    email a link to manage it or to confirm the new choices."""
    return (
        _("Your subscription to the library's current awareness emails"),
        render_to_string(
            "currentawareness/emails/already_subscribed.txt",
            {"manage_url": manage_url, "confirm_url": confirm_url},
        ),
    )


class DigestRenderer:
    """Renders one issue's digests, once per distinct list of records."""

    def __init__(self, issue, links):
        self.issue = issue
        self.featured = [
            {"item": featured, "url": absolute_url(featured.record, links)}
            for featured in issue.featured()
        ]
        self.introduction_html = expand_db_html(issue.introduction) if issue.introduction else ""
        self.introduction_text = strip_tags(self.introduction_html).strip()
        self.contacts = contacts()
        self.web_url = absolute_url(issue, links)
        self.cache: dict[tuple[int, ...], RenderedDigest] = {}
        self.item_cache: dict[int, tuple[str, str]] = {}

    def item_fragments(self, item) -> tuple[str, str]:
        """(text, HTML) of one record's entry, the same in every digest that lists it."""
        if item.pk not in self.item_cache:
            context = {"item": item}
            self.item_cache[item.pk] = (
                render_to_string("currentawareness/emails/digest_item.txt", context),
                render_to_string("currentawareness/emails/digest_item.html", context),
            )
        return self.item_cache[item.pk]

    def render(self, items) -> RenderedDigest:
        key = tuple(item.pk for item in items)
        if key not in self.cache:
            fragments = [self.item_fragments(item) for item in items]
            context = {
                "issue": self.issue,
                "service_title": self.issue.service_title(),
                "is_case_reviews": self.issue.service == Service.CASE_REVIEWS,
                "items": items,
                "featured": self.featured,
                "introduction_html": self.introduction_html,
                "introduction_text": self.introduction_text,
                "contacts": self.contacts,
                "web_url": self.web_url,
                "manage_url": MANAGE_PLACEHOLDER,
                "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            }
            self.cache[key] = RenderedDigest(
                subject=f"{self.issue.title} ({len(items)})",
                text=render_to_string(
                    "currentawareness/emails/digest.txt",
                    {**context, "item_fragments": [text for text, _html in fragments]},
                ),
                html=render_to_string(
                    "currentawareness/emails/digest.html",
                    {**context, "item_fragments": [html for _text, html in fragments]},
                ),
            )
        return self.cache[key]
