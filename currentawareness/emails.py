"""The texts of current awareness email: confirmation links and the digests themselves.

A digest is rendered once per distinct set of records (most subscribers share theirs) with
placeholders for the subscriber's own signed links, which are filled in per subscriber at
send time; each record's part of the email is rendered once per run and reused by every
digest listing it. At send time a digest's MIME message is built once per batch and each
subscriber's copy is spliced from it (see `PreparedDigest`).
"""

import re
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from currentawareness.choices import SERVICE_TITLES, Service
from currentawareness.matching import absolute_url
from shelfmark_core.models import SiteSettings

MANAGE_PLACEHOLDER = "ca-manage-link-placeholder"
UNSUBSCRIBE_PLACEHOLDER = "ca-unsubscribe-link-placeholder"
# Only in the shared MIME message a batch's copies are spliced from, never in stored text;
# each stands for a whole header value.
RECIPIENT_PLACEHOLDER = "ca-recipient-placeholder@example.invalid"
MESSAGE_ID_PLACEHOLDER = "<ca-message-id-placeholder@example.invalid>"
LIST_UNSUBSCRIBE_PLACEHOLDER = "<ca-list-unsubscribe-placeholder@example.invalid>"
HEADER_PLACEHOLDERS = {
    RECIPIENT_PLACEHOLDER: "To",
    MESSAGE_ID_PLACEHOLDER: "Message-ID",
    LIST_UNSUBSCRIBE_PLACEHOLDER: "List-Unsubscribe",
}
PLACEHOLDERS = (*HEADER_PLACEHOLDERS, MANAGE_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER)
PLACEHOLDER_PATTERN = re.compile(
    b"(" + b"|".join(re.escape(p.encode()) for p in PLACEHOLDERS) + b")"
)
# Where Python's email package (compat32, as Django uses it) folds a header: a value that
# does not fit goes whole on a continuation line.
HEADER_FOLD_AT = 78
ENCODED_PART = re.compile(rb"Content-Transfer-Encoding: (quoted-printable|base64)")
# RFC 5322's longest line; Django encodes a part as quoted-printable when a line is longer.
LINE_LIMIT = 998


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
    """Renders one issue's digests; each record's entry is rendered once and reused. The
    caller keeps each distinct digest (digests.ContentStore), so whole digests are not kept
    here: a weekly run's would hold about a gigabyte."""

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
        """The digest listing `items`, with placeholders for each subscriber's own links."""
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
        # Each fragment is template output, already escaped.
        entries_html = mark_safe("".join(html for _text, html in fragments))  # noqa: S308
        return RenderedDigest(
            subject=f"{self.issue.title} ({len(items)})",
            # The entries go in joined: one join costs less than a template loop over
            # hundreds of them, for each of thousands of distinct digests.
            text=render_to_string(
                "currentawareness/emails/digest.txt",
                {**context, "entries": "".join(text for text, _html in fragments)},
            ),
            html=render_to_string(
                "currentawareness/emails/digest.html",
                {**context, "entries": entries_html},
            ),
        )


class SplicedMessage:
    """What `DigestEmail.message()` gives when its bytes were spliced: the SMTP backend asks
    only for `as_bytes(linesep="\\r\\n")`; anything else is answered by the message Django
    builds."""

    def __init__(self, data: bytes, build):
        self.data = data
        self.build = build

    def as_bytes(self, unixfrom=False, linesep="\n"):
        if linesep == "\r\n" and not unixfrom:
            return self.data
        return self.build().as_bytes(unixfrom=unixfrom, linesep=linesep)

    def __getattr__(self, name):
        return getattr(self.build(), name)


class DigestEmail(EmailMultiAlternatives):
    """One subscriber's digest. Its body and HTML are the filled-in texts (what any backend
    sees); over SMTP its bytes come spliced from the batch's shared message when set."""

    spliced: bytes | None = None

    def message(self):
        if self.spliced is None:
            return super().message()
        return SplicedMessage(self.spliced, super().message)


def digest_headers(message_id: str, list_unsubscribe: str) -> dict[str, str]:
    """The digest's Message-ID and RFC 8058 one-click unsubscribe headers."""
    return {
        "Message-ID": message_id,
        "List-Unsubscribe": list_unsubscribe,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


class PreparedDigest:
    """One stored digest ready to send to many subscribers: its MIME message is built once,
    with placeholders for the address, Message-ID and signed links, and cut at them, so each
    copy is joined from the pieces instead of encoded again (a digest can be a megabyte)."""

    def __init__(self, subject: str, text: str, html: str):
        self.subject = subject
        self.text = _split(text)
        self.html = _split(html) if html else None
        self.pieces, self.placeholder_lines = self._cut(text, html)

    def _cut(self, text: str, html: str):
        """The shared message in pieces and, for each line holding placeholders, its length
        and placeholders; (None, None) when the message cannot be spliced (then each copy is
        built by Django)."""
        template = EmailMultiAlternatives(
            self.subject,
            text,
            to=[RECIPIENT_PLACEHOLDER],
            headers=digest_headers(MESSAGE_ID_PLACEHOLDER, LIST_UNSUBSCRIBE_PLACEHOLDER),
        )
        if html:
            template.attach_alternative(html, "text/html")
        data = template.message().as_bytes(linesep="\r\n")
        expected = dict.fromkeys(HEADER_PLACEHOLDERS, 1)
        for placeholder in (MANAGE_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER):
            expected[placeholder] = text.count(placeholder) + html.count(placeholder)
        found = PLACEHOLDER_PATTERN.findall(data)
        counts = {p: found.count(p.encode()) for p in PLACEHOLDERS}
        # Encoded parts (quoted-printable, base64) could hide or split a placeholder.
        if counts != expected or ENCODED_PART.search(data):
            return None, None
        lines = [
            (len(line), [p.decode() for p in PLACEHOLDER_PATTERN.findall(line)])
            for line in data.split(b"\r\n")
            if PLACEHOLDER_PATTERN.search(line)
        ]
        return PLACEHOLDER_PATTERN.split(data), lines

    @classmethod
    def of(cls, content) -> "PreparedDigest":
        return cls(content.subject, content.text, content.html)

    def email_for(
        self, recipient: str, message_id: str, manage: str, unsubscribe: str
    ) -> DigestEmail:
        """The digest for one subscriber, with their address, Message-ID and links."""
        email = DigestEmail(
            subject=self.subject,
            body=_fill(self.text, manage, unsubscribe),
            to=[recipient],
            headers=digest_headers(message_id, f"<{unsubscribe}>"),
        )
        if self.html is not None:
            email.attach_alternative(_fill(self.html, manage, unsubscribe), "text/html")
        email.spliced = self._splice(
            {
                RECIPIENT_PLACEHOLDER: recipient,
                MESSAGE_ID_PLACEHOLDER: message_id,
                LIST_UNSUBSCRIBE_PLACEHOLDER: f"<{unsubscribe}>",
                MANAGE_PLACEHOLDER: manage,
                UNSUBSCRIBE_PLACEHOLDER: unsubscribe,
            }
        )
        return email

    def _splice(self, values: dict[str, str]) -> bytes | None:
        """This subscriber's message bytes, or None where Django would encode them
        differently (a non-ASCII value, an address it would rewrite, a line grown past the
        limit)."""
        if self.pieces is None or not all(value.isascii() for value in values.values()):
            return None
        if (
            sanitize_address(values[RECIPIENT_PLACEHOLDER], "utf-8")
            != values[RECIPIENT_PLACEHOLDER]
        ):
            return None
        for length, placeholders in self.placeholder_lines:
            grown = length + sum(len(values[p]) - len(p) for p in placeholders)
            if grown > LINE_LIMIT:
                return None
        encoded = {}
        for placeholder, value in values.items():
            name = HEADER_PLACEHOLDERS.get(placeholder)
            if name and len(name) + 2 + len(value) > HEADER_FOLD_AT:
                value = "\r\n " + value
            encoded[placeholder.encode()] = value.encode()
        return b"".join(
            encoded[piece] if index % 2 else piece for index, piece in enumerate(self.pieces)
        )
