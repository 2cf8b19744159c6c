"""Section pages of the catalogue: the library home and the case review repository."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class LibraryIndexPage(Page):
    """The library catalogue's home: records of every type live below it."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.CatalogueRecord"]

    class Meta:
        verbose_name = _("library home")


class CaseReviewIndexPage(Page):
    """The national case review repository: case reviews live below it."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.CaseReview"]

    class Meta:
        verbose_name = _("case review repository")
