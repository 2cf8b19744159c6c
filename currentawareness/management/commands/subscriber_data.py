"""Subject access export or erasure for one subscriber's address, from the command line."""

import json

from django.core.management.base import BaseCommand

from currentawareness import retention


class Command(BaseCommand):
    help = "Print everything held about a subscriber's address as JSON (--export) or erase it."

    def add_arguments(self, parser):
        parser.add_argument("email")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", action="store_true", help="Write the JSON export.")
        action.add_argument("--erase", action="store_true", help="Erase the data now.")

    def handle(self, *args, email, export=False, erase=False, **options):
        if export:
            document = retention.subject_access_export(email)
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        if retention.erase(email):
            self.stdout.write(self.style.SUCCESS(f"Erased the subscriber {email}."))
        else:
            self.stdout.write(f"No subscriber with the address {email}; nothing to erase.")
