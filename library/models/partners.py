"""What each partner token may do beyond reading (kept per token, not on the shared user)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import APIToken


class PartnerTokenGrant(models.Model):
    """A partner token's rights: a token re-issued without a right does not inherit it from
    the partner's other tokens, and revoking a token ends its rights with it."""

    token = models.OneToOneField(
        APIToken,
        on_delete=models.CASCADE,
        related_name="partner_grant",
        verbose_name=_("token"),
    )
    can_submit_enquiries = models.BooleanField(
        _("can submit enquiries"),
        default=False,
        help_text=_("Whether this token may POST /api/v3/enquiries/."),
    )

    class Meta:
        verbose_name = _("partner token grant")

    def __str__(self):
        return f"{self.token}: enquiries {'yes' if self.can_submit_enquiries else 'no'}"
