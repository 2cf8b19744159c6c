"""Read settings from the environment: URLs for the database, cache, search and email."""

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
import dj_email_url


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list of non-empty, stripped strings."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    """An environment variable read as a yes/no flag."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_env(default_sqlite_path: Path) -> dict:
    """The default database: DATABASE_URL, else a SQLite file in WAL mode with a busy timeout."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(
            {
                # WAL lets readers and one writer work at once; the timeout makes writers
                # queue instead of failing with "database is locked".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                    "PRAGMA mmap_size=268435456; PRAGMA cache_size=-65536;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
        config["CONN_MAX_AGE"] = 0 if config.get("NAME") == ":memory:" else 600
        config.pop("CONN_HEALTH_CHECKS", None)
    return config


def cache_from_env() -> dict:
    """REDIS_URL selects Redis; otherwise each process keeps its own local-memory cache."""
    url = os.environ.get("REDIS_URL", "").strip()
    if url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "shelfmark",
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shelfmark"}


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def email_from_env(default: str) -> dict:
    """Email settings from EMAIL_URL, e.g. submission://user:pass@host or file:///path.

    dj-email-url parses the URL; three of our documented meanings differ from its own and are
    kept here: smtps:// is implicit TLS on port 465 (its smtps is STARTTLS, and deprecated),
    file:///path is an absolute path (it drops the leading "/"), and SMTP waits at most 10 s.
    """
    url = os.environ.get("EMAIL_URL", "").strip() or default
    parts = urlsplit(url)
    with warnings.catch_warnings():
        # Its warning that smtps:// may go: ours does not depend on its meaning of smtps.
        warnings.simplefilter("ignore", UserWarning)
        settings = dj_email_url.parse(url)
    if "EMAIL_BACKEND" not in settings:
        raise ValueError(
            f"EMAIL_URL scheme {parts.scheme!r} is not supported; "
            f"use one of {', '.join(sorted(dj_email_url.SCHEMES))}."
        )
    if parts.scheme == "smtps" and "tls" not in parse_qs(parts.query):
        settings.update(EMAIL_USE_SSL=True, EMAIL_USE_TLS=False, EMAIL_PORT=parts.port or 465)
    if parts.scheme == "file":
        settings["EMAIL_FILE_PATH"] = unquote(parts.path) or "var/mail"
    if settings["EMAIL_BACKEND"] == SMTP_BACKEND:
        settings["EMAIL_HOST"] = settings["EMAIL_HOST"] or "localhost"
        settings["EMAIL_TIMEOUT"] = settings["EMAIL_TIMEOUT"] or 10
    return {name: value for name, value in settings.items() if value is not None}


def search_from_env(database: dict) -> dict:
    """The catalogue search engine: Elasticsearch when ELASTICSEARCH_URL is set, else the
    database's own full text (PostgreSQL or SQLite FTS5). A search never waits more than
    SEARCH_SNAPSHOT_WAIT seconds (default 0.1) for the columns of a changed index: until they
    are ready, the previous ones answer."""
    wait = float(os.environ.get("SEARCH_SNAPSHOT_WAIT", "0.1"))
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if url:
        engine, options = "library.search.engines.elasticsearch.ElasticsearchEngine", {"url": url}
    elif "postgresql" in database["ENGINE"]:
        engine, options = "library.search.engines.postgres.PostgresEngine", {}
    else:
        engine, options = "library.search.engines.sqlite.SqliteEngine", {}
    return {"ENGINE": engine, "OPTIONS": {**options, "snapshot_wait": wait}}
