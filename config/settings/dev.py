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
# Demo content and the synthetic record generator: dev, test and bench only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
