"""Load the demo site: each module of `demo.content`, in the order `DEMO_CONTENT` gives."""

from django.apps import apps
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.content import DEMO_CONTENT
from demo.content.site import ensure_home_page


class Command(BaseCommand):
    help = (
        "Create the demo pages, records and users. Safe to run again: it adds only what is missing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            home = ensure_home_page()
            for app_label, module in DEMO_CONTENT:
                module.load_demo_content(home)
                verbose_name = apps.get_app_config(app_label).verbose_name
                self.stdout.write(f"Demo content loaded: {verbose_name}")
        if "rebuild_catalogue_index" in get_commands():
            # The demo must be searchable at once, even before a task worker has started.
            call_command("rebuild_catalogue_index", no_progress=True, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
