"""Subject access export or erasure for one email address, from the command line."""

import json

from django.core.management.base import BaseCommand

from enquiries.retention import erase_for_email, subject_access_export


class Command(BaseCommand):
    help = "Print everything held about an email address as JSON (--export) or erase it (--erase)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", action="store_true", help="Write the JSON export.")
        action.add_argument("--erase", action="store_true", help="Erase the data now.")

    def handle(self, *args, email, export=False, erase=False, **options):
        if export:
            document = subject_access_export(email)
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        references = erase_for_email(email)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {len(references)} enquiries: {', '.join(references) or 'none found'}."
            )
        )
