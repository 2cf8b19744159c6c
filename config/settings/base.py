"""Settings shared by every environment. Secrets and hosts come only from the environment."""

import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.settings.environment import (
    cache_from_env,
    database_from_env,
    email_from_env,
    env_list,
    search_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SHELFMARK_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "shelfmark_core",
    "library",
    "library.search",
    "readinglists",
    "enquiries",
    "learning",
    "currentawareness",
    "wagtail.api.v3",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "csp",
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static pages (the widget demo) are served under the policy too.
    "home.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "library.middleware.DocumentNoIndexMiddleware",
    "library.middleware.SearchUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(VAR_DIR / "shelfmark.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_env()}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("British English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: EMAIL_URL (smtp://, smtps://, submission://, console://, file://).
globals().update(email_from_env(default="console://"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Shelfmark <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework, stored in the database so that queued email
# and index updates survive a crash. Run `python manage.py db_worker` beside the web process.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Search: ELASTICSEARCH_URL selects Elasticsearch for the catalogue; unset means the
# database's own full-text search. Wagtail's admin search uses the database backend.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
SHELFMARK_SEARCH = search_from_env(DATABASES["default"])
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# /healthz (home.health): each check by dotted path, answering True when it passes. The task
# queue fails when more than HEALTHZ_MAX_QUEUED_TASKS tasks are due or one has been due for
# more than HEALTHZ_MAX_TASK_WAIT seconds (no task worker is running).
SHELFMARK_HEALTH_CHECKS = {
    "database": "home.health.database_answers",
    "cache": "home.health.cache_answers",
    "search": "library.search.health.search_answers",
    "tasks": "home.health.task_queue_moving",
}
HEALTHZ_MAX_QUEUED_TASKS = int(os.environ.get("HEALTHZ_MAX_QUEUED_TASKS", "1000"))
HEALTHZ_MAX_TASK_WAIT = int(os.environ.get("HEALTHZ_MAX_TASK_WAIT", "300"))

WAGTAIL_SITE_NAME = "Shelfmark"
# OAI-PMH: the domain-like name in record identifiers (oai:<this>:<id>; keep it stable once
# harvested) and the address harvesters write to (DEFAULT_FROM_EMAIL's address when empty).
SHELFMARK_OAI_REPOSITORY_IDENTIFIER = os.environ.get(
    "SHELFMARK_OAI_REPOSITORY_IDENTIFIER", "shelfmark.local"
)
SHELFMARK_OAI_ADMIN_EMAIL = os.environ.get("SHELFMARK_OAI_ADMIN_EMAIL", "")
# Restricted pages send visitors to Wagtail's front-end login; Django's default
# /accounts/login/ does not exist here.
LOGIN_URL = "wagtailcore_login"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Librarians cannot publish; a finished approval workflow publishes for them.
WAGTAIL_FINISH_WORKFLOW_ACTION = "library.approval.publish_approved"
WAGTAIL_I18N_ENABLED = False
WAGTAILAPI_DOCS_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Content-Security-Policy (django-csp): only this site's own files, no inline code except
# with the request's nonce (`request.csp_nonce`), no plugins, no framing by other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Wagtail's admin writes inline scripts and styles without nonces (home.middleware).
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],  # blob: for previews of images being uploaded
    # The dashboard's check for a newer Wagtail release.
    "connect-src": [SELF, "https://releases.wagtail.org"],
}
# Staff avatars from Wagtail's own upload, never Gravatar: no staff email hashes leave the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- Enquiries (Information Service) -------------------------------------------------------
# Personal data of closed enquiries is erased this many months after closing.
ENQUIRIES_RETENTION_MONTHS = int(os.environ.get("ENQUIRIES_RETENTION_MONTHS", "24"))
# Where new-enquiry notifications go when the site settings have no Information Service email.
ENQUIRIES_SERVICE_MAILBOX = os.environ.get("ENQUIRIES_SERVICE_MAILBOX", "enquiries@localhost")
# Web form: submissions per client IP per window (seconds); the API: per bearer token.
ENQUIRIES_FORM_RATE_LIMIT = (10, 600)
ENQUIRIES_API_RATE_LIMIT = (120, 3600)
# A form sent sooner than this many seconds after it was shown is treated as a bot; one shown
# longer ago than the maximum is refused (its answers kept), so a timestamp cannot be replayed.
ENQUIRIES_MINIMUM_FILL_SECONDS = 3
ENQUIRIES_FORM_MAX_AGE_SECONDS = 4 * 60 * 60
# Enquiries are answered within this many days unless the enquirer needs it sooner.
ENQUIRIES_RESPONSE_DAYS = 10
# The tasks backend that sends enquiry emails, and the longest wait between retries.
ENQUIRIES_TASK_BACKEND = "default"
ENQUIRIES_MAX_RETRY_DELAY = 3600
# --- Current awareness (digests; see docs/current-awareness.md) ------------------------------
# The public site's address for links in digests; unset: the default Wagtail Site's root URL.
CURRENTAWARENESS_BASE_URL = os.environ.get("CURRENTAWARENESS_BASE_URL", "").strip()
# Confirmation links last this many days; manage and unsubscribe links in digests this many.
CURRENTAWARENESS_CONFIRM_DAYS = 7
CURRENTAWARENESS_LINK_DAYS = 90
# Sign-ups never confirmed are deleted after this many days (purge_unconfirmed_subscribers).
CURRENTAWARENESS_UNCONFIRMED_DAYS = 14
# Sign-up and "Alert me" submissions per client IP per window (seconds); emails per address.
CURRENTAWARENESS_SIGNUP_RATE_LIMIT = (10, 600)
CURRENTAWARENESS_EMAILS_PER_ADDRESS = (3, 86400)
CURRENTAWARENESS_MINIMUM_FILL_SECONDS = 3
# The tasks backend that sends digests, the longest wait between retries, deliveries per task.
CURRENTAWARENESS_TASK_BACKEND = "default"
CURRENTAWARENESS_MAX_RETRY_DELAY = 3600
CURRENTAWARENESS_BATCH_SIZE = 50
# How many proxies stand in front of the site, for the client IP that rate limits use.
SHELFMARK_TRUSTED_PROXIES = int(os.environ.get("RATELIMIT_TRUSTED_PROXIES", "0"))

# --- Partner API (library/api/, readinglists.api, enquiries.api; see docs/api.md) -------------
# django-ninja as an app, so the API docs page serves its bundled Swagger UI, not a CDN.
INSTALLED_APPS += ["ninja"]
# Read endpoints: (requests, seconds) per client IP without a token, and per partner token.
# "N/S" in the environment, e.g. API_RATE_LIMIT_ANONYMOUS=300/60.
SHELFMARK_API_RATE_LIMIT_ANONYMOUS = tuple(
    int(part) for part in os.environ.get("API_RATE_LIMIT_ANONYMOUS", "120/60").split("/")
)
SHELFMARK_API_RATE_LIMIT_TOKEN = tuple(
    int(part) for part in os.environ.get("API_RATE_LIMIT_TOKEN", "600/60").split("/")
)
# Browsers on partner sites may read these response headers (conditional requests, limits).
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
# The group every partner token's user joins; restrict records to it to share them with partners.
SHELFMARK_PARTNER_GROUP_NAME = "Partners"
