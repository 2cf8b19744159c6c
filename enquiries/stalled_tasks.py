"""Recovery of tasks whose worker died: django-tasks-db leaves them RUNNING for ever.

The database backend marks a task RUNNING when a worker takes it and has no heartbeat, so a
worker killed mid-task (out of memory, a host restart, SIGKILL) leaves it RUNNING and nothing
runs it again. Every task this project queues may safely run twice: index updates are
idempotent, and an enquiry email is guarded by its outbox claim. So a task RUNNING for longer
than any task takes is recorded as failed and queued again with the same arguments.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import InvalidTaskBackend, TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Longer than any task takes (an index update of a broad subject, an SMTP timeout), so a task
# whose worker is alive is never queued twice by the sweep.
STALE_AFTER_SECONDS = 15 * 60


class WorkerStopped(Exception):
    """The worker running this task stopped before recording an outcome."""


@dataclass(frozen=True)
class Recovery:
    """One stalled task and what became of it: requeued as `new_id`, or not (`problem`)."""

    task_path: str
    old_id: str
    new_id: str | None = None
    problem: str = ""


def stalled(stale_after: datetime.timedelta, now: datetime.datetime | None = None):
    """Tasks RUNNING since before `stale_after` ago."""
    return DBTaskResult.objects.running().filter(
        started_at__lt=(now or timezone.now()) - stale_after
    )


def recover_stalled_tasks(stale_after: datetime.timedelta) -> list[Recovery]:
    """Record each stalled task as failed and queue it again; one sweep wins each task."""
    recoveries = []
    for stale in stalled(stale_after).order_by("started_at"):
        with transaction.atomic():
            # Only the sweep whose update matched takes the task, so two sweeps queue it once.
            taken = (
                DBTaskResult.objects.running()
                .filter(pk=stale.pk, started_at=stale.started_at)
                .update(
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    exception_class_path=f"{__name__}.{WorkerStopped.__qualname__}",
                    traceback=(
                        "The worker running this task stopped before it finished; the task "
                        "was queued again by recover_stalled_tasks."
                    ),
                )
            )
            if not taken:
                continue
            try:
                task = stale.task
                result = task.enqueue(*stale.args_kwargs["args"], **stale.args_kwargs["kwargs"])
            except (ImportError, InvalidTaskBackend, SuspiciousOperation) as error:
                # The task's code or backend is gone: it stays failed, and the sweep says so.
                recoveries.append(Recovery(stale.task_path, str(stale.pk), problem=str(error)))
                continue
        logger.warning(
            "Task %s (%s) had stalled; queued again as %s.", stale.pk, stale.task_path, result.id
        )
        recoveries.append(Recovery(stale.task_path, str(stale.pk), new_id=str(result.id)))
    return recoveries
