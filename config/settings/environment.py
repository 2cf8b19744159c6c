"""Read settings from the environment: URLs for the database, cache, search and email."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url


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


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def email_from_env(default: str) -> dict:
    """Email settings from EMAIL_URL, e.g. smtp://user:pass@host:587/?tls=1 or file:///path."""
    url = os.environ.get("EMAIL_URL", "").strip() or default
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_BACKENDS:
        raise ValueError(
            f"EMAIL_URL scheme {parts.scheme!r} is not supported; "
            f"use one of {', '.join(sorted(EMAIL_BACKENDS))}."
        )
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    settings = {"EMAIL_BACKEND": EMAIL_BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        settings["EMAIL_FILE_PATH"] = unquote(parts.path) or "var/mail"
    elif parts.scheme in {"smtp", "smtps", "submission"}:
        settings.update(
            {
                "EMAIL_HOST": parts.hostname or "localhost",
                "EMAIL_PORT": parts.port or {"smtps": 465, "submission": 587}.get(parts.scheme, 25),
                "EMAIL_HOST_USER": unquote(parts.username or ""),
                "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
                "EMAIL_USE_SSL": parts.scheme == "smtps" or options.get("ssl") in {"1", "true"},
                "EMAIL_USE_TLS": parts.scheme == "submission"
                or options.get("tls") in {"1", "true"},
                "EMAIL_TIMEOUT": int(options.get("timeout", 10)),
            }
        )
    return settings


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
