"""Production settings: refuse to start without a long secret key and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.environment import env_bool

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable to a long random string.")
# Django's own deployment check (security.W009) asks the same: 50 characters, 5 different.
if len(SECRET_KEY.strip()) < 50 or len(set(SECRET_KEY)) < 5:  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or too simple: use at least 50 random characters, for example "
        "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the comma-separated host names this site answers to."
    )

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer asks for /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
