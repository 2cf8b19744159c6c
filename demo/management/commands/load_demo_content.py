"""Load the demo site: each module of `demo.content`, in the order `DEMO_CONTENT` gives, then
a realistic small catalogue of synthetic records on top (the same records every time).

A restart is cheap at any catalogue size: the fingerprint of the demo code is stored
(`demo.DemoContentState`), and when it matches nothing is loaded, generated or re-indexed;
only the site's address is brought in line with the port being served.
"""

import hashlib
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

import demo
from demo.content import DEMO_CONTENT
from demo.content.site import ensure_home_page, ensure_site_address
from demo.models import DemoContentState
from demo.synthetic_records import generate_records
from library.models import CatalogueRecord
from library.search.models import SearchEntry

# The shipped demo's synthetic catalogue: a few thousand records across the four nations,
# every record type, the years since 1945 and the thesaurus's themes, from a fixed seed. The
# test settings make it smaller (SHELFMARK_DEMO_RECORDS) so the demo tests stay quick.
DEMO_RECORDS = 3000
DEMO_SEED = 2026


def demo_fingerprint() -> str:
    """A hash of the demo content's code (`demo/content/`, the synthetic record generator) and
    the synthetic catalogue's size and seed: when any of them changes, the next run loads
    again (adding only what is missing). Other code in `demo/` (commands) does not count."""
    digest = hashlib.sha256(f"{demo_records()}:{DEMO_SEED}".encode())
    root = Path(demo.__file__).parent
    sources = [*sorted((root / "content").rglob("*.py")), root / "synthetic_records.py"]
    for path in sources:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def demo_records() -> int:
    return getattr(settings, "SHELFMARK_DEMO_RECORDS", DEMO_RECORDS)


class Command(BaseCommand):
    help = (
        "Create the demo pages, records and users, and a synthetic catalogue of "
        f"{DEMO_RECORDS} records. Safe to run again: it adds only what is missing, and does "
        "nothing when the demo content is already loaded (--force loads it anyway)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load even if this content is already loaded"
        )
        parser.add_argument(
            "--records",
            type=int,
            default=None,
            help="synthetic records to add to a catalogue smaller than this (0 for none)",
        )

    def handle(self, *args, force=False, records=None, **options):
        started = time.perf_counter()
        records = demo_records() if records is None else records
        if ensure_site_address():
            self.stdout.write("The site's address now follows WAGTAILADMIN_BASE_URL.")
        fingerprint = demo_fingerprint()
        state = DemoContentState.objects.filter(key="demo").first()
        if state is not None and state.fingerprint == fingerprint and not force:
            self.stdout.write(self.style.SUCCESS("Demo content is already loaded (nothing to do)."))
            return
        records_before = CatalogueRecord.objects.count()
        with transaction.atomic():
            home = ensure_home_page()
            ensure_site_address()
            for app_label, module in DEMO_CONTENT:
                module.load_demo_content(home)
                verbose_name = apps.get_app_config(app_label).verbose_name
                self.stdout.write(f"Demo content loaded: {verbose_name}")
        synthetic = state.synthetic_records if state is not None else 0
        wanted = records - CatalogueRecord.objects.count()
        if synthetic == 0 and wanted > 0:
            report = generate_records(wanted, DEMO_SEED)
            synthetic = report.records
            self.stdout.write(
                f"Synthetic catalogue: {report.records} records "
                f"({report.case_reviews} case reviews)."
            )
        changed = CatalogueRecord.objects.count() != records_before
        unindexed = SearchEntry.objects.count() != CatalogueRecord.objects.live().count()
        if (changed or unindexed) and "rebuild_catalogue_index" in get_commands():
            # The demo must be searchable at once, even before a task worker has started.
            call_command("rebuild_catalogue_index", no_progress=True, stdout=self.stdout)
            if "prepare_record_details" in get_commands():
                call_command("prepare_record_details", no_progress=True, stdout=self.stdout)
        DemoContentState.objects.update_or_create(
            key="demo", defaults={"fingerprint": fingerprint, "synthetic_records": synthetic}
        )
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo content is ready ({seconds:.1f} s)."))
