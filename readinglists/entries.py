"""Reading list entries resolved for display and export.

The StreamField stores what editors chose; this module turns each stored entry into a
`ListEntry` with one shape whatever its source (a catalogue record, whose citation stays
current, or the entry's own citation fields), so templates, exports and the API read the
same attributes. Entries whose record the viewer may not see are left out here, never
rendered as broken links.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dates import MONTHS
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import RichText

from library.formats.text import et_al_name
from readinglists.blocks import ANNOTATION_FEATURES

if TYPE_CHECKING:
    from library.models import CatalogueRecord

ET_AL_MARKERS = {"et al", "et al."}
FORMAT_NAMES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "odt": "Word",
    "rtf": "Word",
    "xlsx": "Excel",
    "csv": "Excel",
    "pptx": "PowerPoint",
}


@dataclass(frozen=True)
class PersonName:
    """One author: a person (family and given names) or an organisation (family only)."""

    family: str
    given: str = ""

    def display(self) -> str:
        """As a citation shows it: "Munro, E. R." or "NSPCC"."""
        return f"{self.family}, {self.given}" if self.given else self.family

    def to_csl(self) -> dict[str, str]:
        """A CSL-JSON name: family and given for a person, literal for an organisation."""
        if self.given:
            return {"family": self.family, "given": self.given}
        return {"literal": self.family}


def parse_author_lines(text: str) -> tuple[list[PersonName], bool]:
    """Authors typed one per line ("Family, initials" or an organisation), and et al."""
    names: list[PersonName] = []
    et_al = False
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.lower() in ET_AL_MARKERS:
            et_al = True
            continue
        family, _sep, given = line.partition(",")
        names.append(PersonName(family.strip(), given.strip()))
    return names, et_al


def join_names(names: list[str], et_al: bool = False) -> str:
    """Names joined the house way: "A, B and C", or "A et al." when there are more."""
    if et_al:
        return ", ".join(names) + " et al." if names else ""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def richtext_is_empty(source: str | RichText | None) -> bool:
    """Whether rich text holds no words (an emptied editor leaves "<p></p>")."""
    if source is None:
        return True
    text = source.source if isinstance(source, RichText) else str(source)
    return not html.unescape(strip_tags(text)).strip()


class UnreadableRichText(ValueError):
    """Rich text whose nesting the admin editor cannot read, so it could not be edited."""


def sanitise_richtext(source: str, features: list[str] = ANNOTATION_FEATURES) -> str:
    """Rich text reduced to what the editor allows, as if typed into the admin editor.

    Text may arrive from the demo loader, imports, the shell or the API rather than the
    editor. Wagtail's rich text whitelister (its DbWhitelister) keeps only the features' tags,
    attributes and safe link addresses, whatever the markup; a round trip through the editor's
    converter then stores it as the editor would. Raises `UnreadableRichText` when the editor
    could not read what is left (such as a list item outside a list).
    """
    if richtext_is_empty(source):
        return ""
    # Imported here: the admin's converters load models, which are not ready at import time.
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    whitelister = EditorHTMLConverter(features)
    whitelisted = whitelister.to_database_format(whitelister.from_database_format(source))
    converter = ContentstateConverter(features)
    try:
        return converter.to_database_format(converter.from_database_format(whitelisted))
    except AssertionError as error:
        # The editor's converter reports markup it cannot map to editor blocks by assertion.
        raise UnreadableRichText(str(error)) from error


class RichTextCleaner:
    """Cleans a page's rich text with `sanitise_richtext`, gathering what it cannot read as
    validation messages by field, so a bad import is refused with a message, not a crash."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def clean(self, source: str | None, features: list[str], field: str, where: str) -> str:
        """`source` cleaned; unchanged, with a message for `field`, if the editor cannot read it."""
        try:
            return sanitise_richtext(source or "", features)
        except UnreadableRichText:
            self.errors.setdefault(field, []).append(
                _(
                    "The %(where)s has formatting the editor cannot read, such as a list item "
                    "outside a list or a paragraph inside bold text. Remove that markup and "
                    "save again."
                )
                % {"where": where}
            )
            return source or ""

    def raise_errors(self) -> None:
        """Raise the gathered messages as one ValidationError, if there are any."""
        if self.errors:
            raise ValidationError(self.errors)


def safe_url(url: str | None) -> str:
    """`url` if the editor's address field would accept it (http, https, ftp), else ""."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url


def human_file_size(size: int | None) -> str:
    """Bytes as the house style writes them: 319kb, 1.2MB."""
    if not size:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))}kb"
    return f"{size / (1024 * 1024):.1f}MB"


@dataclass
class ListEntry:
    """One entry of a reading list, resolved for display and export."""

    id: str
    kind: str  # "record" or "citation"
    title: str
    item_type: str = "report"
    record: CatalogueRecord | None = None
    authors: list[PersonName] = field(default_factory=list)
    et_al: bool = False  # further authors, not named ("et al." in the citation)
    authors_text: str = ""
    edition: str = ""
    place: str = ""
    publisher: str = ""
    year: int | None = None
    month: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    link_url: str = ""
    format_marker: str = ""
    size: str = ""
    annotation: RichText | None = None
    annotation_is_own: bool = False

    @property
    def record_id(self) -> int | None:
        """The catalogue record's page id, or None for an uncatalogued entry."""
        return self.record.pk if self.record is not None else None

    @property
    def date_text(self) -> str:
        """ "March 2012" when the month is known, else the year."""
        if self.year and self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year) if self.year else ""

    @property
    def is_article(self) -> bool:
        return bool(self.journal)

    def imprint(self) -> str:
        """ "Place: Publisher, Year", leaving out the parts that are unknown."""
        place_publisher = ": ".join(part for part in (self.place, self.publisher) if part)
        return ", ".join(part for part in (place_publisher, self.date_text) if part)

    def journal_line(self) -> str:
        """ "Journal 97(3): 189-192, March 2012"."""
        line = self.journal
        if self.volume:
            line += f" {self.volume}"
            if self.issue:
                line += f"({self.issue})"
        elif self.issue:
            line += f" ({self.issue})"
        if self.pages:
            line += f": {self.pages}"
        return ", ".join(part for part in (line, self.date_text) if part)

    def format_label(self) -> str:
        """ "PDF 319kb", "PDF" or ""."""
        return " ".join(part for part in (self.format_marker, self.size) if part)

    def annotation_text(self) -> str:
        """The annotation as plain text, for exports."""
        if self.annotation is None:
            return ""
        return " ".join(html.unescape(strip_tags(str(self.annotation))).split())

    def to_csl(self) -> dict[str, Any]:
        """A CSL-JSON item: the record's own for catalogued entries, else built here."""
        if self.record is not None:
            from library.formats.csl import record_to_csl

            item = dict(record_to_csl(self.record))
        else:
            item = self._citation_csl()
        annotation = self.annotation_text()
        if annotation:
            item["abstract"] = annotation
        return item

    def _citation_csl(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": f"entry-{self.id}", "type": self.item_type}
        item["title"] = self.title
        if self.authors:
            item["author"] = [name.to_csl() for name in self.authors]
            if self.et_al:
                item["author"].append(et_al_name())
        if self.year:
            parts = [self.year, self.month] if self.month else [self.year]
            item["issued"] = {"date-parts": [parts]}
        for key, value in (
            ("edition", self.edition),
            ("publisher", self.publisher),
            ("publisher-place", self.place),
            ("container-title", self.journal),
            ("volume", self.volume),
            ("issue", self.issue),
            ("page", self.pages),
            ("URL", self.link_url),
        ):
            if value:
                item[key] = value
        return item


@dataclass
class ListSection:
    """A section with the entries this viewer may see, in order."""

    id: str
    heading: str
    introduction: RichText | None
    entries: list[ListEntry]


@dataclass
class HiddenEntry:
    """An entry the public cannot see, with the reason, for editors."""

    place: str
    title: str
    reason: str
    record: Any = None


def citation_entry(block_id: str, value) -> ListEntry:
    """A `ListEntry` from a `CitationEntryBlock` value."""
    authors, et_al = parse_author_lines(value.get("authors") or "")
    annotation = value.get("annotation")
    month = value.get("month")
    return ListEntry(
        id=block_id,
        kind="citation",
        title=value["title"],
        item_type=value.get("item_type") or "report",
        authors=authors,
        et_al=et_al and bool(authors),
        authors_text=join_names([name.display() for name in authors], et_al),
        edition=value.get("edition") or "",
        place=value.get("place") or "",
        publisher=value.get("publisher") or "",
        year=value.get("year"),
        month=int(month) if month else None,
        journal=value.get("journal") or "",
        volume=value.get("volume") or "",
        issue=value.get("issue") or "",
        pages=value.get("pages") or "",
        link_url=safe_url(value.get("url")),
        format_marker=value.get("format_marker") or "",
        size=value.get("size") or "",
        annotation=None if richtext_is_empty(annotation) else annotation,
        annotation_is_own=not richtext_is_empty(annotation),
    )


def record_entry(block_id: str, value, record: CatalogueRecord) -> ListEntry:
    """A `ListEntry` from a `RecordEntryBlock` value and the (visible) record it points at.

    The entry's own annotation wins; without one the record's abstract is shown.
    """
    own = value.get("annotation")
    if not richtext_is_empty(own):
        annotation, is_own = own, True
    elif not richtext_is_empty(record.abstract):
        annotation, is_own = RichText(record.abstract), False
    else:
        annotation, is_own = None, False
    link_url, format_marker, size = record_link(record)
    title = f"{record.title}: {record.subtitle}" if record.subtitle else record.title
    return ListEntry(
        id=block_id,
        kind="record",
        title=title,
        item_type=record.record_type,
        record=record,
        authors=[
            PersonName(c.family_name, "" if c.is_organisation else c.given_names)
            for c in record.contributor_list
        ],
        authors_text=record.authors_display(),
        edition=record.edition,
        place=record.place_of_publication,
        publisher=record.publisher,
        year=record.publication_year,
        month=record.publication_date.month if record.publication_date else None,
        journal=record.journal_title,
        volume=record.volume,
        issue=record.issue,
        pages=record.page_range,
        link_url=link_url,
        format_marker=format_marker or value.get("format_marker") or "",
        size=size or value.get("size") or "",
        annotation=annotation,
        annotation_is_own=is_own,
    )


def record_link(record: CatalogueRecord) -> tuple[str, str, str]:
    """Where a record entry's title links: its first online document, else its web address.

    Returns (url, format marker, size); the marker and size are empty when unknown.
    """
    if record.documents_online():
        for attached in record.attached_documents.all():
            document = attached.document
            extension = (document.file_extension or "").lower()
            return (
                document.url,
                FORMAT_NAMES.get(extension, extension.upper()),
                human_file_size(document_size(document)),
            )
    if record.web_address:
        marker = "PDF" if record.web_address.lower().split("?")[0].endswith(".pdf") else ""
        return record.web_address, marker, ""
    return "", "", ""


def document_size(document) -> int | None:
    """The document's size in bytes, measured once if Wagtail has not stored it yet."""
    if document.file_size is not None:
        return document.file_size
    try:
        return document.get_file_size()
    except OSError:
        return None


def hidden_reason(record_id: int | None, live_ids: set[int], public_ids: set[int]) -> str:
    """Why the public cannot see a record entry (empty when it can)."""
    if record_id is None:
        return str(_("The catalogue record has been deleted; choose another or remove it."))
    if record_id not in live_ids:
        return str(_("The catalogue record is unpublished or deleted; the public cannot see it."))
    if record_id not in public_ids:
        return str(_("The catalogue record is restricted; the public cannot see it."))
    return ""
