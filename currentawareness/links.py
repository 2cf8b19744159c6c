"""Signed, expiring links: confirm a sign-up, manage choices, unsubscribe in one click.

Links carry the subscriber's random key (never the address), signed with Django's
TimestampSigner under a salt per purpose, so a link for one purpose cannot be used for
another, a changed link is refused, and an old one expires.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from wagtail.models import Site

from shelfmark_core.conf import app_setting

CONFIRM_SALT = "currentawareness.confirm"
MANAGE_SALT = "currentawareness.manage"
UNSUBSCRIBE_SALT = "currentawareness.unsubscribe"


class LinkExpired(Exception):
    """The link is genuine but too old."""


class LinkInvalid(Exception):
    """The link was changed or never issued here."""


def max_age(salt: str) -> int:
    if salt == CONFIRM_SALT:
        return app_setting("CURRENTAWARENESS_CONFIRM_DAYS") * 86400
    return app_setting("CURRENTAWARENESS_LINK_DAYS") * 86400


def make_token(salt: str, key, choices: dict | None = None) -> str:
    """A token for subscriber `key`; a confirmation also carries the choices it confirms."""
    value = {"k": str(key), "c": choices} if choices is not None else str(key)
    return signing.TimestampSigner(salt=salt).sign_object(value, compress=True)


def read_token(salt: str, token: str):
    """(key, choices or None) from a token; raises LinkExpired or LinkInvalid."""
    try:
        value = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age(salt))
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
        raise LinkInvalid from error
    if isinstance(value, dict):
        return str(value.get("k", "")), value.get("c") or {}
    return str(value), None


def site_base_url() -> str:
    """The public site's address for links in emails: CURRENTAWARENESS_BASE_URL, else the
    default Wagtail Site's root URL, else WAGTAILADMIN_BASE_URL."""
    if app_setting("CURRENTAWARENESS_BASE_URL"):
        return app_setting("CURRENTAWARENESS_BASE_URL").rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return (site.root_url if site else settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def confirm_url(key, choices: dict, base: str | None = None) -> str:
    token = make_token(CONFIRM_SALT, key, choices)
    return (base or site_base_url()) + reverse("currentawareness:confirm", args=[token])


def manage_url(key, base: str | None = None) -> str:
    token = make_token(MANAGE_SALT, key)
    return (base or site_base_url()) + reverse("currentawareness:manage", args=[token])


def unsubscribe_url(key, base: str | None = None) -> str:
    token = make_token(UNSUBSCRIBE_SALT, key)
    return (base or site_base_url()) + reverse("currentawareness:unsubscribe", args=[token])
