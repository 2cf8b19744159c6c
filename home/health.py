"""`/healthz` for the load balancer: can this process serve? Each check answers yes or no.

The answer names the checks and says "ok" or "failing" for each, nothing else: no versions,
host names or error text reach the caller (the reasons go to the log). The checks are named by
dotted path in `SHELFMARK_HEALTH_CHECKS` (settings load before the apps, and the search check
belongs to the library, above this app)."""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)
DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"


def database_answers() -> bool:
    """The default database runs a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def cache_answers() -> bool:
    """The cache keeps what was just written to it (Redis in production, shared by workers)."""
    key, token = "healthz:probe", secrets.token_hex(8)
    cache.set(key, token, timeout=30)
    return cache.get(key) == token


def task_queue_moving() -> bool:
    """Background work is being done: no more than HEALTHZ_MAX_QUEUED_TASKS tasks are due, and
    none has been due for longer than HEALTHZ_MAX_TASK_WAIT seconds (a stopped task worker
    shows here). True when tasks do not queue in the database."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS_BACKEND:
        return True
    # Installed only with its backend, so imported only when it is the one in use.
    from django_tasks_db.models import DBTaskResult, get_date_max

    due = DBTaskResult.objects.ready()
    if due.count() > settings.HEALTHZ_MAX_QUEUED_TASKS:
        return False
    # A task queued to run at once has run_after at the far future; others fall due then.
    at_once = due.filter(run_after=get_date_max()).order_by("enqueued_at")
    scheduled = due.exclude(run_after=get_date_max()).order_by("run_after")
    moments = [
        *at_once.values_list("enqueued_at", flat=True)[:1],
        *scheduled.values_list("run_after", flat=True)[:1],
    ]
    if not moments:
        return True
    waited = (timezone.now() - min(moments)).total_seconds()
    return waited <= settings.HEALTHZ_MAX_TASK_WAIT


def run_check(name: str, dotted_path: str) -> bool:
    """One check's answer; any error is a failure, logged for the operator, never shown."""
    started = time.monotonic()
    try:
        passed = bool(import_string(dotted_path)())
    except Exception:  # noqa: BLE001 - any failure means "not healthy", and the log says why
        logger.exception("Health check %r raised", name)
        return False
    if not passed:
        logger.warning("Health check %r failed after %.3f s", name, time.monotonic() - started)
    return passed


@never_cache
@require_safe
def healthz(request):
    """200 when every check passes, else 503, with each check's "ok" or "failing"."""
    results = {
        name: run_check(name, dotted_path)
        for name, dotted_path in settings.SHELFMARK_HEALTH_CHECKS.items()
    }
    healthy = all(results.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "failing",
            "checks": {name: "ok" if passed else "failing" for name, passed in results.items()},
        },
        status=200 if healthy else 503,
    )
