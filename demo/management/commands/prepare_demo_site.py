"""What `make run` does before it serves, in one process: migrate, load the demo content
(nothing when it is already loaded) and queue again the work a killed worker left running.

One process rather than three: a restart pays Django's start-up once, so it serves in a few
seconds whatever the size of the catalogue (see docs/benchmarks.md, "Restarting make run").
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the demo content if needed and recover stalled tasks, for make run."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, stdout=self.stdout, verbosity=0)
        call_command("load_demo_content", stdout=self.stdout)
        # Work a killed worker left RUNNING (tasks, emails mid-send) is queued again first.
        call_command("recover_stalled_tasks", stdout=self.stdout)
