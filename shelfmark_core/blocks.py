"""Blocks the Shelfmark apps share with the site around them."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class LinkBlock(blocks.StructBlock):
    """A link to a page in the site or to an external address, with its own label."""

    label = blocks.CharBlock(max_length=80, label=_("Label"))
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("External address"))

    class Meta:
        icon = "link"
        template = "shelfmark_core/blocks/link.html"

    def clean(self, value):
        """Ask for exactly one of a page and an address."""
        result = super().clean(value)
        if bool(result.get("page")) == bool(result.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": blocks.BlockValidationError(
                        _("Choose a page or enter an external address, but not both.")
                    )
                }
            )
        return result
