"""Canned responses: standard wording staff start a reply from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class CannedResponse(index.Indexed, models.Model):
    """A reusable reply text, chosen in the reply form and edited before sending."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    body = models.TextField(
        _("text"), help_text=_("Plain text. Staff can change it before a reply is sent.")
    )

    panels = [FieldPanel("title"), FieldPanel("body")]
    search_fields = [index.SearchField("title"), index.SearchField("body")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self):
        return self.title
