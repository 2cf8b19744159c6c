"""Record that mail to an address bounced, e.g. from the mail provider's bounce report."""

from django.core.management.base import BaseCommand

from currentawareness.retention import record_bounce


class Command(BaseCommand):
    help = (
        "Mark subscriber addresses as bouncing so that nothing more is sent to them (until "
        "they sign up and confirm again). Give one or more addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+")
        parser.add_argument("--reason", default="", help="The bounce message, kept for staff.")

    def handle(self, *args, emails, reason="", **options):
        outcomes = {"marked": 0, "already": 0, "unknown": 0}
        for email in emails:
            outcome = record_bounce(email, reason)
            outcomes[outcome] += 1
            if outcome == "unknown":
                self.stderr.write(f"No subscriber with the address {email}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Marked {outcomes['marked']} addresses as bouncing "
                f"({outcomes['already']} already were, {outcomes['unknown']} unknown)."
            )
        )
