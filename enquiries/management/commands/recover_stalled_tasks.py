"""Queue again what a dead worker left: stalled tasks and enquiry emails it was sending."""

import datetime

from django.core.management.base import BaseCommand

from enquiries.stalled_tasks import STALE_AFTER_SECONDS, recover_stalled_tasks
from enquiries.tasks import requeue_abandoned_messages


class Command(BaseCommand):
    help = (
        "Queue again the enquiry emails whose sending claim ran out and the tasks left RUNNING "
        "by a worker that stopped (any app's, e.g. index updates). Safe to run at any time, "
        "beside workers, e.g. every minute from cron: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=int,
            default=STALE_AFTER_SECONDS,
            metavar="SECONDS",
            help="A task RUNNING for longer than this is taken as stalled (default: %(default)s).",
        )

    def handle(self, *args, stale_after, **options):
        messages = requeue_abandoned_messages()
        recoveries = recover_stalled_tasks(datetime.timedelta(seconds=stale_after))
        for recovery in recoveries:
            if recovery.problem:
                self.stderr.write(
                    f"Task {recovery.old_id} ({recovery.task_path}) stalled and cannot be "
                    f"queued again: {recovery.problem}"
                )
        requeued = sum(1 for recovery in recoveries if recovery.new_id)
        self.stdout.write(
            self.style.SUCCESS(
                f"Queued again {len(messages)} abandoned enquiry emails and {requeued} stalled "
                "tasks."
            )
        )
