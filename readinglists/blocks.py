"""StreamField blocks of a reading list: sections of ordered entries, and "see also" links.

A list's `sections` is a stream of `SectionBlock`s; each section holds a stream of entries,
either a `RecordEntryBlock` (a catalogue record chosen in the admin, whose citation stays
current) or a `CitationEntryBlock` (a publication that is not catalogued, cited in full).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from shelfmark_core.blocks import LinkBlock

ANNOTATION_FEATURES = ["bold", "italic", "link", "ol", "ul"]
INTRODUCTION_FEATURES = ["bold", "italic", "link", "ol", "ul"]

FORMAT_CHOICES = [
    ("PDF", "PDF"),
    ("Word", "Word"),
    ("Excel", "Excel"),
    ("PowerPoint", "PowerPoint"),
    ("EPUB", "EPUB"),
]

ITEM_TYPE_CHOICES = [
    ("report", _("Report or guidance")),
    ("book", _("Book")),
    ("article-journal", _("Journal article")),
    ("chapter", _("Book chapter")),
    ("webpage", _("Web page or online resource")),
]

MONTH_CHOICES = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]

SIZE_PATTERN = r"^\d+(?:\.\d+)?\s?(?:[kKmMgG][bB])$"


def file_size_block() -> blocks.RegexBlock:
    """A document size as readers see it beside the link, such as 319kb or 1.2MB."""
    return blocks.RegexBlock(
        regex=SIZE_PATTERN,
        required=False,
        label=_("File size"),
        help_text=_("For example 319kb or 1.2MB."),
        error_messages={"invalid": _("Write the size as a number and a unit, like 319kb.")},
    )


class RecordEntryBlock(blocks.StructBlock):
    """An entry for a catalogued publication: citation and links come from the record."""

    record = blocks.PageChooserBlock(
        page_type="library.CatalogueRecord",
        label=_("Catalogue record"),
    )
    annotation = blocks.RichTextBlock(
        features=ANNOTATION_FEATURES,
        required=False,
        label=_("Annotation"),
        help_text=_("Leave empty to show the record's abstract."),
    )
    format_marker = blocks.ChoiceBlock(
        choices=FORMAT_CHOICES,
        required=False,
        label=_("Format"),
        help_text=_("Only needed when the record has no attached document to take it from."),
    )
    size = file_size_block()

    class Meta:
        icon = "doc-full"
        label = _("Catalogue record")


class CitationEntryBlock(blocks.StructBlock):
    """An entry for a publication that is not in the catalogue, cited in full."""

    title = blocks.CharBlock(max_length=500, label=_("Title"))
    item_type = blocks.ChoiceBlock(
        choices=ITEM_TYPE_CHOICES, default="report", label=_("Type of publication")
    )
    authors = blocks.TextBlock(
        required=False,
        label=_("Authors"),
        help_text=_(
            'One per line: "Family name, initials" for a person (Munro, E. R.), or the name '
            'alone for an organisation. Add "et al." as the last line for further authors.'
        ),
    )
    edition = blocks.CharBlock(required=False, max_length=60, label=_("Edition"))
    place = blocks.CharBlock(required=False, max_length=120, label=_("Place of publication"))
    publisher = blocks.CharBlock(required=False, max_length=255, label=_("Publisher"))
    year = blocks.IntegerBlock(
        required=False, min_value=1800, max_value=2100, label=_("Year of publication")
    )
    month = blocks.ChoiceBlock(choices=MONTH_CHOICES, required=False, label=_("Month"))
    journal = blocks.CharBlock(required=False, max_length=255, label=_("Journal title"))
    volume = blocks.CharBlock(required=False, max_length=30, label=_("Volume"))
    issue = blocks.CharBlock(required=False, max_length=30, label=_("Issue"))
    pages = blocks.CharBlock(required=False, max_length=30, label=_("Pages"))
    url = blocks.URLBlock(required=False, label=_("Web address"))
    format_marker = blocks.ChoiceBlock(choices=FORMAT_CHOICES, required=False, label=_("Format"))
    size = file_size_block()
    annotation = blocks.RichTextBlock(
        features=ANNOTATION_FEATURES, required=False, label=_("Annotation")
    )

    class Meta:
        icon = "openquote"
        label = _("Citation (not catalogued)")


class EntryStreamBlock(blocks.StreamBlock):
    """The entries of one section, in reading order."""

    record = RecordEntryBlock()
    citation = CitationEntryBlock()

    class Meta:
        required = False


class SectionBlock(blocks.StructBlock):
    """A headed section of a reading list with its own introduction and entries."""

    heading = blocks.CharBlock(max_length=200, label=_("Heading"))
    introduction = blocks.RichTextBlock(
        features=INTRODUCTION_FEATURES, required=False, label=_("Introduction")
    )
    entries = EntryStreamBlock(label=_("Entries"))

    class Meta:
        icon = "list-ul"
        label = _("Section")


class SectionStreamBlock(blocks.StreamBlock):
    """A reading list's sections, in order."""

    section = SectionBlock()


class SeeAlsoStreamBlock(blocks.StreamBlock):
    """Related pages and references shown after the sections."""

    link = LinkBlock()
    record = RecordEntryBlock()
    citation = CitationEntryBlock()
