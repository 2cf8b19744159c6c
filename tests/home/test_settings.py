"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.environment import database_from_env, email_from_env

PROJECT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    # A clean environment, as a production host would have: nothing leaks in from the tests.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "DATABASE_URL") if key in os.environ}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "Set the SECRET_KEY"), ("ALLOWED_HOSTS", "Set ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without_required_settings(missing, message):
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k9$Fq2!vLz8#pW4@rT6^yU1&iO3*aS5(dG7)hJ0-lZ=xC+vB[nM]qE{wR}tY|uI",
        "ALLOWED_HOSTS": "library.example.org",
    }
    del env[missing]
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize("secret_key", ["x", "short-secret-key", " " * 60, "ab" * 30])
def test_production_refuses_a_short_or_simple_secret_key(secret_key):
    result = run_manage(
        "check",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "library.example.org",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too short or too simple: use at least 50 random characters" in (
        result.stderr
    )


def test_production_passes_the_deployment_checklist_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k9$Fq2!vLz8#pW4@rT6^yU1&iO3*aS5(dG7)hJ0-lZ=xC+vB[nM]qE{wR}tY|uI",
            "ALLOWED_HOSTS": "library.example.org",
            # Several workers share one cache (home.checks warns about a per-process one).
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sqlite_default_uses_wal_and_a_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path / "db.sqlite3")
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


def test_database_url_selects_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shelfmark")
    config = database_from_env(tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "shelfmark"


def test_email_url_configures_smtp_with_tls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "submission://mailer:s%40cret@smtp.example.org:2525/")
    config = email_from_env(default="console://")
    assert config["EMAIL_HOST"] == "smtp.example.org"
    assert config["EMAIL_PORT"] == 2525
    assert config["EMAIL_HOST_PASSWORD"] == "s@cret"
    assert config["EMAIL_USE_TLS"] is True


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay.example.org", {"EMAIL_PORT": 25, "EMAIL_USE_TLS": False}),
        ("submission://relay.example.org", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True}),
        # Implicit TLS, as documented (dj-email-url's own smtps:// means STARTTLS).
        (
            "smtps://relay.example.org",
            {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False},
        ),
        ("smtp://relay.example.org:2525/?timeout=30", {"EMAIL_TIMEOUT": 30}),
    ],
)
def test_email_url_schemes_in_the_readme(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    config = email_from_env(default="console://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["EMAIL_HOST"] == "relay.example.org"
    assert {name: config[name] for name in expected} == expected


def test_email_url_for_files_keeps_the_absolute_path_and_console_is_the_default(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "file:///srv/shelfmark/mail%20out")
    config = email_from_env(default="console://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["EMAIL_FILE_PATH"] == "/srv/shelfmark/mail out"
    monkeypatch.delenv("EMAIL_URL")
    config = email_from_env(default="console://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_email_url_with_unknown_scheme_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "pigeon://loft")
    with pytest.raises(ValueError, match="EMAIL_URL scheme 'pigeon' is not supported"):
        email_from_env(default="console://")
