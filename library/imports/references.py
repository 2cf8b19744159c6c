"""RIS (rispy), BibTeX (bibtexparser 2) and the documented CSV layout into neutral records.

Reference managers and suppliers write one title field, so "Title: subtitle" is split at the
first colon, as the exports join them. A name with a comma is a person ("Family, Given"); one
without (or braced in BibTeX, "{NSPCC}") is an organisation.
"""

import csv
import io
import logging
import re
from collections.abc import Iterator

import bibtexparser
import rispy
from bibtexparser.middlewares.names import split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from library.imports.records import (
    Contributor,
    ImportedRecord,
    Rejection,
    UnreadableFile,
    abstract_html,
    clean,
    personal_name,
    year_in,
)
from library.models import ContributorRole, RecordType

RIS_TYPES = {
    "BOOK": RecordType.BOOK,
    "EBOOK": RecordType.BOOK,
    "EDBOOK": RecordType.BOOK,
    "RPRT": RecordType.REPORT,
    "JOUR": RecordType.JOURNAL_ARTICLE,
    "EJOUR": RecordType.JOURNAL_ARTICLE,
    "MGZN": RecordType.JOURNAL_ARTICLE,
    "GOVDOC": RecordType.REPORT,
}
BIBTEX_TYPES = {
    "book": RecordType.BOOK,
    "techreport": RecordType.REPORT,
    "report": RecordType.REPORT,
    "article": RecordType.JOURNAL_ARTICLE,
}
# The CSV layout (docs/marc-mapping.md, "CSV layout"): header names -> record fields.
CSV_COLUMNS = {
    "id": "source_id",
    "title": "title",
    "subtitle": "subtitle",
    "type": "record_type",
    "authors": "authors",
    "editors": "editors",
    "publisher": "publisher",
    "place": "place_of_publication",
    "year": "publication_year",
    "edition": "edition",
    "series": "series",
    "isbn": "isbn",
    "issn": "issn",
    "doi": "doi",
    "url": "web_address",
    "extent": "extent",
    "journal": "journal_title",
    "volume": "volume",
    "issue": "issue",
    "pages": "page_range",
    "language": "language",
    "abstract": "abstract",
    "notes": "notes",
    "subjects": "terms",
}
_RIS_START = re.compile(r"^TY  -", re.MULTILINE)
_LATEX = LatexNodes2Text()
_TYPE_NAMES = {str(label).casefold(): value for value, label in RecordType.choices}
_TYPE_NAMES.update({value: value for value in RecordType.values})


def _split_title(record: ImportedRecord, title: str) -> None:
    title = clean(title)
    if ": " in title and not record.subtitle:
        title, subtitle = title.split(": ", 1)
        record.subtitle = clean(subtitle)
    record.title = title


def _pages(start: str, end: str) -> str:
    start, end = clean(start), clean(end)
    return f"{start}-{end}" if start and end else start


def _standard_number(record: ImportedRecord, value: str) -> None:
    """RIS SN holds an ISBN or an ISSN: an eight-character number is an ISSN."""
    value = clean(value)
    compact = re.sub(r"[\s-]", "", value)
    if len(compact) == 8 or record.record_type == RecordType.JOURNAL_ARTICLE and not record.issn:
        record.issn = value
    else:
        record.isbn = value


def read_ris(text: str) -> Iterator[ImportedRecord | Rejection]:
    """Records from an RIS file (EndNote, Zotero, Mendeley, suppliers' exports)."""
    starts = [match.start() for match in _RIS_START.finditer(text)]
    if not starts:
        raise UnreadableFile("the file has no RIS references (no line starting “TY  -”)")
    for number, start in enumerate(starts, start=1):
        end = starts[number] if number < len(starts) else len(text)
        line = text.count("\n", 0, start) + 1
        position = f"record {number} (line {line})"
        try:
            entries = rispy.loads(text[start:end])
        except Exception as error:  # noqa: BLE001 - rispy raises plain exceptions for bad input
            yield Rejection(position, f"unreadable record ({error})")
            continue
        if not entries:
            yield Rejection(position, "unreadable record (no “ER  -” end line)")
            continue
        yield ris_to_record(entries[0], position)


def ris_to_record(entry: dict, position: str) -> ImportedRecord:
    record = ImportedRecord(position=position)
    record.record_type = RIS_TYPES.get(entry.get("type_of_reference", ""), RecordType.REPORT)
    _split_title(record, entry.get("title") or entry.get("primary_title") or "")
    for key, role in (
        ("authors", ContributorRole.AUTHOR),
        ("first_authors", ContributorRole.AUTHOR),
        ("secondary_authors", ContributorRole.EDITOR),
    ):
        for name in entry.get(key, []):
            contributor = personal_name(name, role)
            if contributor:
                record.contributors.append(contributor)
    record.publication_year = year_in(
        entry.get("year") or entry.get("publication_year") or entry.get("date")
    )
    record.publisher = clean(entry.get("publisher"))
    record.place_of_publication = clean(entry.get("place_published"))
    record.edition = clean(entry.get("edition"))
    journal = entry.get("journal_name") or entry.get("alternate_title3")
    if record.record_type == RecordType.JOURNAL_ARTICLE:
        record.journal_title = clean(journal or entry.get("secondary_title"))
    else:
        record.series = clean(entry.get("secondary_title") or entry.get("tertiary_title"))
    record.volume = clean(entry.get("volume"))
    record.issue = clean(entry.get("number"))
    record.page_range = _pages(entry.get("start_page", ""), entry.get("end_page", ""))
    if entry.get("issn"):
        _standard_number(record, entry["issn"])
    record.doi = clean(entry.get("doi"))
    record.web_address = next((u.strip() for u in entry.get("urls", []) if u.strip()), "")
    record.language = clean(entry.get("language")) or "en"
    record.abstract = abstract_html(entry.get("abstract") or entry.get("notes_abstract") or "")
    record.notes = clean(" ".join(entry.get("notes", [])))
    record.terms = list(entry.get("keywords", []))
    if entry.get("id"):
        record.source_ids.append(clean(entry["id"]))
    return record


def _latex(value: str) -> str:
    return " ".join(_LATEX.latex_to_text(value or "").split())


def _bibtex_names(value: str, role: str) -> list[Contributor]:
    people = []
    for name in split_multiple_persons_names(value or ""):
        name = name.strip()
        if name.startswith("{") and name.endswith("}"):
            people.append(Contributor(_latex(name[1:-1]), "", True, role))
            continue
        contributor = personal_name(_latex(name), role)
        if contributor is not None:
            contributor.is_organisation = False
            if not contributor.given_names and " " in contributor.family_name:
                # "Eileen Munro": BibTeX's other name order, family name last.
                given, family = contributor.family_name.rsplit(" ", 1)
                contributor.family_name, contributor.given_names = family, given
            people.append(contributor)
    return people


def read_bibtex(text: str) -> Iterator[ImportedRecord | Rejection]:
    """Records from a BibTeX file, in file order, with each unparsable entry rejected."""
    bibtexparser_logger = logging.getLogger("bibtexparser")
    level = bibtexparser_logger.level
    bibtexparser_logger.setLevel(logging.CRITICAL)  # rejections report the broken entries
    try:
        library = bibtexparser.parse_string(text)
    finally:
        bibtexparser_logger.setLevel(level)
    blocks = sorted([*library.entries, *library.failed_blocks], key=lambda block: block.start_line)
    if not blocks:
        raise UnreadableFile("the file has no BibTeX entries (none starting “@”)")
    for number, block in enumerate(blocks, start=1):
        position = f"record {number} (line {block.start_line + 1})"
        if block in library.failed_blocks:
            yield Rejection(position, "unreadable record (the BibTeX entry is not well formed)")
            continue
        yield bibtex_to_record(block, position)


def bibtex_to_record(entry, position: str) -> ImportedRecord:
    fields = {key.lower(): value for key, value in entry.fields_dict.items()}

    def get(name: str) -> str:
        field = fields.get(name)
        return _latex(field.value) if field is not None else ""

    record = ImportedRecord(position=position)
    record.record_type = BIBTEX_TYPES.get(entry.entry_type.lower(), RecordType.REPORT)
    _split_title(record, get("title"))
    if "author" in fields:
        record.contributors += _bibtex_names(fields["author"].value, ContributorRole.AUTHOR)
    if "editor" in fields:
        record.contributors += _bibtex_names(fields["editor"].value, ContributorRole.EDITOR)
    record.publication_year = year_in(get("year") or get("date"))
    record.publisher = clean(get("publisher") or get("institution") or get("organization"))
    record.place_of_publication = clean(get("address") or get("location"))
    record.edition = clean(get("edition"))
    record.series = clean(get("series"))
    record.journal_title = clean(get("journal") or get("journaltitle"))
    record.volume = clean(get("volume"))
    record.issue = clean(get("number"))
    record.page_range = clean(get("pages").replace("–", "-").replace("--", "-"))
    record.isbn = clean(get("isbn"))
    record.issn = clean(get("issn"))
    doi = fields.get("doi")
    record.doi = clean(doi.value) if doi is not None else ""
    url = fields.get("url")
    record.web_address = url.value.strip() if url is not None else ""
    record.language = clean(get("language")) or "en"
    if len(record.language) > 3:
        record.language = "en"  # biblatex writes "english"; the catalogue keeps codes
    record.abstract = abstract_html(get("abstract"))
    record.notes = clean(get("note"))
    record.terms = [term for term in re.split(r"[,;]", get("keywords")) if term.strip()]
    record.source_ids.append(entry.key)
    return record


def read_csv(text: str) -> Iterator[ImportedRecord | Rejection]:
    """Records from the documented CSV layout: one header row, one record per row."""
    reader = csv.DictReader(io.StringIO(text))
    header = [clean(name).lower() for name in (reader.fieldnames or [])]
    if "title" not in header:
        raise UnreadableFile(
            "the CSV file has no “title” column in its first row; see the CSV layout in "
            "docs/marc-mapping.md"
        )
    reader.fieldnames = header
    for number, row in enumerate(reader, start=1):
        position = f"row {number} (line {reader.line_num})"
        if None in row:
            yield Rejection(position, "unreadable record (more cells than the header has)")
            continue
        yield csv_to_record(row, position)


def csv_to_record(row: dict, position: str) -> ImportedRecord:
    values = {
        CSV_COLUMNS[name]: (value or "").strip()
        for name, value in row.items()
        if name in CSV_COLUMNS
    }
    record = ImportedRecord(position=position)
    record.title = values.get("title", "")
    record.subtitle = clean(values.get("subtitle"))
    if not record.subtitle:
        _split_title(record, record.title)
    record_type = values.get("record_type", "").casefold()
    record.record_type = _TYPE_NAMES.get(record_type, RecordType.BOOK)
    if record.record_type == RecordType.CASE_REVIEW:
        record.record_type = RecordType.REPORT
    for key, role in (("authors", ContributorRole.AUTHOR), ("editors", ContributorRole.EDITOR)):
        for name in values.get(key, "").split(";"):
            contributor = personal_name(name, role)
            if contributor:
                record.contributors.append(contributor)
    record.publication_year = year_in(values.get("publication_year"))
    for name in (
        "publisher",
        "place_of_publication",
        "edition",
        "series",
        "isbn",
        "issn",
        "doi",
        "extent",
        "journal_title",
        "volume",
        "issue",
        "page_range",
        "notes",
    ):
        setattr(record, name, clean(values.get(name)))
    record.web_address = values.get("web_address", "")
    record.language = clean(values.get("language")) or "en"
    record.abstract = abstract_html(values.get("abstract", ""))
    record.terms = [term for term in values.get("terms", "").split(";") if term.strip()]
    if values.get("source_id"):
        record.source_ids.append(values["source_id"])
    return record
