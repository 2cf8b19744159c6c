"""Deployment checks (`python manage.py check --deploy`) for what Django's own do not know."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs):
    """With several workers the cache must be one they share: rate limits count there, and
    Wagtail keeps its site root paths there."""
    if settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                "The default cache is local to each process: with more than one gunicorn worker "
                "or host, rate limits count per process and a changed site address reaches "
                "each worker only when it restarts.",
                hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0 (deploy/shelfmark.env.example).",
                id="shelfmark.W001",
            )
        ]
    return []
