"""Erase personal data of closed enquiries older than ENQUIRIES_RETENTION_MONTHS."""

from django.core.management.base import BaseCommand

from enquiries.retention import purge_expired
from shelfmark_core.conf import app_setting


class Command(BaseCommand):
    help = (
        "Erase the personal data of enquiries closed more than ENQUIRIES_RETENTION_MONTHS "
        "ago, keeping anonymous statistics. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be erased; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        references = purge_expired(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        for reference in references:
            self.stdout.write(f"{verb}: {reference}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} personal data of {len(references)} enquiries closed more than "
                f"{app_setting('ENQUIRIES_RETENTION_MONTHS')} months ago."
            )
        )
