"""Issue an API token for a partner portal; it is printed once and only its digest is kept."""

from django.core.management.base import BaseCommand, CommandError

from library.partners import PartnerTokenError, issue_partner_token


class Command(BaseCommand):
    help = (
        "Create an API token for a partner portal (its user joins the Partners group). "
        "The token is printed once: pass it to the partner now, it cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the partner, e.g. 'Leeds LSCP portal'")
        parser.add_argument(
            "--can-submit-enquiries",
            action="store_true",
            help="allow POST /api/v3/enquiries/ with this token",
        )
        parser.add_argument(
            "--group",
            action="append",
            default=[],
            help="an existing group whose restricted records the partner may see (repeatable)",
        )

    def handle(self, *args, name, can_submit_enquiries, group, **options):
        try:
            issued = issue_partner_token(
                name, can_submit_enquiries=can_submit_enquiries, groups=tuple(group)
            )
        except PartnerTokenError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(issued.plaintext)
        self.stderr.write(
            f"Token {issued.token.prefix}… for “{issued.token.name}” (user "
            f"{issued.token.user.get_username()}). Keep it secret; revoke it with "
            f"revoke_partner_token --prefix {issued.token.prefix}."
        )
