"""Delete sign-ups never confirmed within CURRENTAWARENESS_UNCONFIRMED_DAYS."""

from django.core.management.base import BaseCommand

from currentawareness.retention import purge_unconfirmed
from shelfmark_core.conf import app_setting


class Command(BaseCommand):
    help = (
        "Delete sign-ups whose address was never confirmed within "
        "CURRENTAWARENESS_UNCONFIRMED_DAYS. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        count = purge_unconfirmed(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {count} sign-ups not confirmed within "
                f"{app_setting('CURRENTAWARENESS_UNCONFIRMED_DAYS')} days."
            )
        )
