"""StreamField blocks for general pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from shelfmark_core.blocks import LinkBlock


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box: heading, short text and one link."""

    heading = blocks.CharBlock(max_length=120, label=_("Heading"))
    text = blocks.TextBlock(required=False, label=_("Text"))
    link = LinkBlock(label=_("Link"))

    class Meta:
        icon = "pick"
        template = "home/blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    """The content blocks editors can use in the body of a general page."""

    heading = blocks.CharBlock(
        max_length=120, form_classname="title", template="home/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]
    )
    image = ImageBlock()
    quote = blocks.BlockQuoteBlock()
    document = DocumentChooserBlock(template="home/blocks/document.html")
    call_to_action = CallToActionBlock()
