"""Every setting the Shelfmark apps read, with its default.

A host project sets only what it wants to change; `app_setting(name)` reads the setting at the
moment it is used (so `override_settings` and a changed environment take effect) and falls back
to the default here. README's "Adding Shelfmark to an existing Wagtail site" lists them.
"""

from django.conf import settings
from django.db import connections

DEFAULTS = {
    # Catalogue search: the engine's dotted path and options. None: the default database's own
    # full text (PostgreSQL, else SQLite FTS5); see `search_engine_setting`.
    "SHELFMARK_SEARCH": None,
    # Electronic copies are removed this many years after cataloguing (0: never).
    "SHELFMARK_ONLINE_YEARS": 5,
    # OAI-PMH: the stable domain-like name in identifiers, and the harvesters' contact address
    # (DEFAULT_FROM_EMAIL's when empty).
    "SHELFMARK_OAI_REPOSITORY_IDENTIFIER": "shelfmark.local",
    "SHELFMARK_OAI_ADMIN_EMAIL": "",
    # Partner API read limits: (requests, seconds) per client IP without a token, per token.
    "SHELFMARK_API_RATE_LIMIT_ANONYMOUS": (120, 60),
    "SHELFMARK_API_RATE_LIMIT_TOKEN": (600, 60),
    # The group every partner token's user joins.
    "SHELFMARK_PARTNER_GROUP_NAME": "Partners",
    # How many proxies stand in front of the site, for the client IP rate limits count.
    "SHELFMARK_TRUSTED_PROXIES": 0,
    # Enquiries (Information Service).
    "ENQUIRIES_RETENTION_MONTHS": 24,
    "ENQUIRIES_SERVICE_MAILBOX": "enquiries@localhost",
    "ENQUIRIES_FORM_RATE_LIMIT": (10, 600),
    "ENQUIRIES_API_RATE_LIMIT": (120, 3600),
    "ENQUIRIES_MINIMUM_FILL_SECONDS": 3,
    "ENQUIRIES_FORM_MAX_AGE_SECONDS": 4 * 60 * 60,
    "ENQUIRIES_RESPONSE_DAYS": 10,
    "ENQUIRIES_TASK_BACKEND": "default",
    "ENQUIRIES_MAX_RETRY_DELAY": 3600,
    # Current awareness (digests).
    "CURRENTAWARENESS_BASE_URL": "",
    "CURRENTAWARENESS_CONFIRM_DAYS": 7,
    "CURRENTAWARENESS_LINK_DAYS": 90,
    "CURRENTAWARENESS_UNCONFIRMED_DAYS": 14,
    "CURRENTAWARENESS_SIGNUP_RATE_LIMIT": (10, 600),
    "CURRENTAWARENESS_EMAILS_PER_ADDRESS": (3, 86400),
    "CURRENTAWARENESS_MINIMUM_FILL_SECONDS": 3,
    "CURRENTAWARENESS_TASK_BACKEND": "default",
    "CURRENTAWARENESS_MAX_RETRY_DELAY": 3600,
    "CURRENTAWARENESS_BATCH_SIZE": 50,
}


def app_setting(name: str):
    """The host's value of the setting `name`, or its default from DEFAULTS."""
    if name not in DEFAULTS:
        raise KeyError(f"{name} is not a Shelfmark setting.")
    return getattr(settings, name, DEFAULTS[name])


def search_engine_setting() -> dict:
    """SHELFMARK_SEARCH, or the default database's own full-text engine when it is unset."""
    configured = app_setting("SHELFMARK_SEARCH")
    if configured:
        return configured
    if connections["default"].vendor == "postgresql":
        return {"ENGINE": "library.search.engines.postgres.PostgresEngine", "OPTIONS": {}}
    return {"ENGINE": "library.search.engines.sqlite.SqliteEngine", "OPTIONS": {}}
