"""Settings for the test suite: SQLite in memory unless DATABASE_URL says otherwise."""

import os

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
# Tests enqueue tasks into the real database backend and run the worker loop explicitly
# where delivery matters; everything else runs tasks at once.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Snapshots are built in the searching thread: other threads cannot see a test's
# uncommitted records.
SHELFMARK_SEARCH["OPTIONS"]["snapshot_wait"] = None  # noqa: F405
# Demo content and the synthetic record generator: dev, test and bench only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
# load_demo_content's synthetic catalogue: 3,000 records in `make run`, a few in tests.
SHELFMARK_DEMO_RECORDS = 60
