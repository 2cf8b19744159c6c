"""Send every enquiry email still waiting, e.g. after a long mail server outage."""

from django.core.management.base import BaseCommand

from enquiries.models import DeliveryFailed, OutgoingMessage


class Command(BaseCommand):
    help = (
        "Try every unsent enquiry email now. Safe to run at any time, beside workers: a "
        "message already sent is never sent again."
    )

    def handle(self, *args, **options):
        sent = failed = 0
        for message in OutgoingMessage.objects.pending().order_by("pk"):
            try:
                if message.deliver():
                    sent += 1
            except DeliveryFailed as error:
                failed += 1
                self.stderr.write(f"Message {message.pk} not sent: {error}")
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} pending emails; {failed} failed."))
        if failed:
            self.stdout.write("Failed emails stay pending; run this command again later.")
