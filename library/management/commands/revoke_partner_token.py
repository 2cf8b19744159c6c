"""Revoke partner API tokens by name or prefix; they are refused from the next request on."""

from django.core.management.base import BaseCommand, CommandError

from library.partners import PartnerTokenError, revoke_partner_tokens


class Command(BaseCommand):
    help = "Revoke a partner's API tokens, by the name given at creation or the token's prefix."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="revoke every live token with this name")
        parser.add_argument("--prefix", help="revoke the token starting with this prefix")

    def handle(self, *args, name, prefix, **options):
        try:
            revoked = revoke_partner_tokens(name=name, prefix=prefix)
        except PartnerTokenError as error:
            raise CommandError(str(error)) from error
        if not revoked:
            raise CommandError("No live token matches; list tokens in the Django admin.")
        for token in revoked:
            self.stdout.write(f"Revoked {token}.")
