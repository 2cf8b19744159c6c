"""The site-wide settings that drive navigation and contacts, edited in Settings.

Until the apps became installable in other Wagtail sites this model lived in `home`; home's
migration 0002 copies its row here, so an existing site keeps its contacts and navigation.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from shelfmark_core.blocks import LinkBlock


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details, navigation and footer for one site, edited in Settings."""

    information_service_phone = models.CharField(
        max_length=40,
        blank=True,
        verbose_name=_("Information Service phone"),
        help_text=_("Shown in the footer and on the enquiry form, e.g. 0808 800 5000."),
    )
    information_service_email = models.EmailField(
        blank=True,
        verbose_name=_("Information Service email"),
        help_text=_("Shown in the footer; enquiry notifications are sent here."),
    )
    helpline_phone = models.CharField(
        max_length=40,
        blank=True,
        verbose_name=_("helpline phone"),
        help_text=_("The emergency helpline shown beside forms that are not a helpline."),
    )
    navigation = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("main navigation"),
        help_text=_("Links in the site header, in order."),
    )
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("footer links"))
    footer_text = StreamField(
        [("paragraph", blocks.RichTextBlock(features=["bold", "italic", "link"]))],
        blank=True,
        verbose_name=_("footer text"),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("information_service_phone"),
                FieldPanel("information_service_email"),
                FieldPanel("helpline_phone"),
            ],
            heading=_("Contact details"),
        ),
        FieldPanel("navigation"),
        FieldPanel("footer_links"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("site settings")
