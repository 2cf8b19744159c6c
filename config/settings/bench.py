"""Settings for `make bench`: production-like (no DEBUG) on its own database file."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.environment import database_from_env, search_from_env

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": database_from_env(VAR_DIR / "bench.sqlite3")}  # noqa: F405
SHELFMARK_SEARCH = search_from_env(DATABASES["default"])
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run at once unless a benchmark runs the worker beside the server (bench_publish).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
WHITENOISE_USE_FINDERS = True
# Demo content and the synthetic record generator: dev, test and bench only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
