"""Home page, general pages, and the site-wide settings that drive navigation and contacts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock, LinkBlock


class HomePage(Page):
    """The front page: an introduction and a body of blocks linking to each service."""

    introduction = RichTextField(
        blank=True, features=["bold", "italic", "link"], verbose_name=_("introduction")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """A general page such as "About the Information Service"."""

    introduction = models.TextField(blank=True, verbose_name=_("introduction"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")


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
