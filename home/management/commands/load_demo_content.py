"""Load the demo site: every app's `demo.load_demo_content`, in INSTALLED_APPS order."""

import importlib
import importlib.util

from django.apps import apps
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

from home.demo import ensure_home_page


class Command(BaseCommand):
    help = (
        "Create the demo pages, records and users. Safe to run again: it adds only what is missing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            home = ensure_home_page()
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                module = importlib.import_module(module_name)
                module.load_demo_content(home)
                self.stdout.write(f"Demo content loaded: {app_config.verbose_name}")
        if "rebuild_catalogue_index" in get_commands():
            # The demo must be searchable at once, even before a task worker has started.
            call_command("rebuild_catalogue_index", no_progress=True, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
