"""Partner portals' API tokens: each partner gets a user in the Partners group and a token.

The token (wagtail.models.APIToken) is shown once when issued; only its digest is stored.
Restricting records to the Partners group (or to a group of the partner's own, given with
`groups`) shares them with partner tokens; a revoked token is refused on its next request.
What a token may do beyond reading (submitting enquiries) is kept per token
(`PartnerTokenGrant`), never on the partner's shared user.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import APIToken

from library.models import PartnerTokenGrant
from shelfmark_core.conf import app_setting


class PartnerTokenError(ValueError):
    """A partner token cannot be issued or revoked as asked; the message says why."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the stored record and the plaintext, which exists only here."""

    token: APIToken
    plaintext: str


def partner_username(name: str) -> str:
    """The user behind a partner's tokens, e.g. "partner-leeds-safeguarding"."""
    slug = slugify(name)[:130]
    if not slug:
        raise PartnerTokenError("Give the partner a name with at least one letter or digit.")
    return f"partner-{slug}"


@transaction.atomic
def issue_partner_token(
    name: str, *, can_submit_enquiries: bool = False, groups: tuple[str, ...] = ()
) -> IssuedToken:
    """A new token for partner `name`, creating its user (no password, no admin access).

    The user joins the Partners group and any existing `groups`; with `can_submit_enquiries`
    this token (and no other of the partner's) may POST enquiries. A partner may hold several
    tokens, e.g. to rotate them.
    """
    name = name.strip()
    extra_groups = []
    for group_name in groups:
        try:
            extra_groups.append(Group.objects.get(name=group_name))
        except Group.DoesNotExist:
            raise PartnerTokenError(
                f"There is no group called “{group_name}”; create it in the admin first."
            ) from None
    user, created = get_user_model().objects.get_or_create(
        username=partner_username(name), defaults={"first_name": name[:150]}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    partners, _ = Group.objects.get_or_create(name=app_setting("SHELFMARK_PARTNER_GROUP_NAME"))
    user.groups.add(partners, *extra_groups)
    token, plaintext = APIToken.create_token(user=user, name=name)
    PartnerTokenGrant.objects.create(token=token, can_submit_enquiries=can_submit_enquiries)
    return IssuedToken(token=token, plaintext=plaintext)


def may_submit_enquiries(token: APIToken | None) -> bool:
    """Whether this live token was issued with --can-submit-enquiries."""
    return bool(
        token is not None
        and token.revoked_at is None
        and PartnerTokenGrant.objects.filter(token=token, can_submit_enquiries=True).exists()
    )


@transaction.atomic
def revoke_partner_tokens(*, name: str | None = None, prefix: str | None = None) -> list[APIToken]:
    """Revoke the live tokens with this name or display prefix; returns those revoked."""
    if not name and not prefix:
        raise PartnerTokenError("Say which token to revoke: give --name or --prefix.")
    tokens = APIToken.objects.filter(revoked_at__isnull=True)
    tokens = tokens.filter(name=name.strip()) if name else tokens.filter(prefix=prefix.strip())
    revoked = list(tokens)
    for token in revoked:
        token.revoke()
    PartnerTokenGrant.objects.filter(token__in=revoked).update(can_submit_enquiries=False)
    return revoked
