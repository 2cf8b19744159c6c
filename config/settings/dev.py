"""Settings for `make run`: the demo site on this machine, no services needed."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.environment import env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# `make run PORT=8401` serves http://127.0.0.1:8401/: absolute links (emails, admin
# notifications, and the demo Site that load_demo_content points there) use that address.
PORT = os.environ.get("PORT", "").strip() or "8000"
WAGTAILADMIN_BASE_URL = (
    os.environ.get("WAGTAILADMIN_BASE_URL", "").strip() or f"http://127.0.0.1:{PORT}"
)
# Demo content and the synthetic record generator: dev, test and bench only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
