"""The neutral record every reader produces and the writer consumes, and its checks."""

import re
from dataclasses import dataclass, field

from django.utils.html import escape

from library import identifiers
from library.models import CatalogueRecord, ContributorRole, RecordType

# Fields compared and written one by one (contributors, subjects and keywords are lists).
SCALAR_FIELDS = [
    "title",
    "subtitle",
    "record_type",
    "publisher",
    "place_of_publication",
    "publication_year",
    "edition",
    "series",
    "isbn",
    "issn",
    "doi",
    "web_address",
    "extent",
    "journal_title",
    "volume",
    "issue",
    "page_range",
    "language",
    "nation",
    "abstract",
    "notes",
]
LIST_FIELDS = ["contributors", "subjects", "keywords"]
_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)")
# Trailing ISBD punctuation a catalogue card leaves on MARC subfields (" /", " :", ";", ",").
_TRAILING_PUNCTUATION = re.compile(r"[\s/:;,=]+$")


class UnreadableFile(Exception):
    """The file could not be read at all (wrong format, broken XML, no header row)."""


@dataclass
class Contributor:
    family_name: str
    given_names: str = ""
    is_organisation: bool = False
    role: str = ContributorRole.AUTHOR

    def as_list(self) -> list:
        return [self.family_name, self.given_names, self.is_organisation, str(self.role)]


@dataclass
class ImportedRecord:
    """One record as read from a file, in the catalogue's own terms, before it is written."""

    position: str
    title: str = ""
    subtitle: str = ""
    record_type: str = RecordType.BOOK
    contributors: list[Contributor] = field(default_factory=list)
    publisher: str = ""
    place_of_publication: str = ""
    publication_year: int | None = None
    edition: str = ""
    series: str = ""
    isbn: str = ""
    issn: str = ""
    doi: str = ""
    web_address: str = ""
    extent: str = ""
    journal_title: str = ""
    volume: str = ""
    issue: str = ""
    page_range: str = ""
    language: str = "en"
    nation: str = ""
    abstract: str = ""
    notes: str = ""
    # Terms from the file: the writer files each under a thesaurus subject or as a keyword.
    terms: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    # Filled by the writer from `terms`.
    subjects: list[int] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def values(self) -> dict:
        """The values the import writes, as JSON-ready data (the fingerprint kept per record)."""
        data = {name: getattr(self, name) for name in SCALAR_FIELDS}
        data["record_type"] = str(data["record_type"])
        data["contributors"] = [c.as_list() for c in self.contributors]
        data["subjects"] = sorted(self.subjects)
        data["keywords"] = sorted(self.keywords)
        return data


@dataclass
class Rejection:
    """A record that cannot be imported: where it is in the file and why."""

    position: str
    reason: str
    title: str = ""

    def __str__(self):
        named = f" ({self.title[:60]})" if self.title else ""
        return f"{self.position}{named}: {self.reason}"


def clean(value) -> str:
    """Text on one line without surrounding space or the trailing ISBD punctuation."""
    text = " ".join(str(value or "").split())
    return _TRAILING_PUNCTUATION.sub("", text)


def year_in(value) -> int | None:
    """The first plausible four-digit year in a date such as "c1998." or "2013/05/01/"."""
    match = _YEAR.search(str(value or ""))
    return int(match.group(1)) if match else None


def abstract_html(text: str) -> str:
    """Plain text from a file as the abstract's rich text: one paragraph, escaped."""
    text = " ".join((text or "").split())
    return f"<p>{escape(text)}</p>" if text else ""


def personal_name(text: str, role: str = ContributorRole.AUTHOR) -> Contributor | None:
    """ "Family, Given" as a person; a name without a comma as an organisation."""
    text = " ".join((text or "").split()).strip(" ,;")
    if not text:
        return None
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        # MARC ends a heading with a full stop; keep it after an initial ("Munro, E. R.").
        if given.endswith(".") and not re.search(r"\b\w\.$", given):
            given = given[:-1]
        given = given.rstrip(",")
        return Contributor(family, given, False, role)
    return Contributor(text.rstrip("."), "", True, role)


def check(record: ImportedRecord) -> Rejection | ImportedRecord:
    """The record with its identifiers normalised, or why it cannot be imported."""
    record.title = clean(record.title)
    if not record.title:
        return Rejection(record.position, "no title")
    for name, normalise, label in (
        ("isbn", identifiers.normalise_isbn, "bad ISBN"),
        ("issn", identifiers.normalise_issn, "bad ISSN"),
        ("doi", identifiers.normalise_doi, "bad DOI"),
    ):
        value = getattr(record, name)
        if value:
            try:
                setattr(record, name, normalise(value))
            except ValueError as error:
                return Rejection(record.position, f"{label}: {error}", record.title)
    if record.publication_year is not None and not 1000 <= record.publication_year <= 2100:
        return Rejection(record.position, "impossible year", record.title)
    if record.web_address and not re.match(r"^https?://\S+$", record.web_address):
        record.web_address = ""
    for name in SCALAR_FIELDS:
        model_field = CatalogueRecord._meta.get_field(name)
        value = getattr(record, name)
        limit = getattr(model_field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            if name in ("title", "subtitle", "isbn", "issn", "doi", "web_address"):
                return Rejection(
                    record.position,
                    f"the {model_field.verbose_name} is longer than {limit} characters",
                    record.title[:60],
                )
            setattr(record, name, value[: limit - 1].rstrip() + "…")
    for contributor in record.contributors:
        contributor.family_name = contributor.family_name[:255]
        contributor.given_names = contributor.given_names[:255]
    record.terms = list(dict.fromkeys(term for term in (clean(t) for t in record.terms) if term))
    return record
