"""MARC 21 (binary, MARC-8 or UTF-8) and MARCXML into neutral records, with pymarc.

The mapping is the export's (library/formats/marc.py) read the other way; docs/marc-mapping.md
documents both.
"""

import io
import re
import warnings
from collections.abc import Iterator

import pymarc

from library.formats.marc import MARC_COUNTRIES, MARC_LANGUAGES
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
from library.models import ContributorRole, Nation, RecordType

_LANGUAGES = {marc: iso for iso, marc in MARC_LANGUAGES.items()}
_COUNTRIES = {marc: nation for nation, marc in MARC_COUNTRIES.items()}
_NATIONS = {str(label).casefold(): value for value, label in Nation.choices}
_RECORD_TYPES = {str(label).casefold(): value for value, label in RecordType.choices}
_ROLES = {
    "edt": ContributorRole.EDITOR,
    "editor": ContributorRole.EDITOR,
    "com": ContributorRole.COMPILER,
    "compiler": ContributorRole.COMPILER,
}
_VOLUME = re.compile(r"\bv(?:ol)?\.?\s*(\w+)", re.IGNORECASE)
_ISSUE = re.compile(r"\b(?:no|issue)\.?\s*(\w+)", re.IGNORECASE)
_PAGES = re.compile(r"\bp+\.?\s*(\d+(?:\s*-\s*\d+)?)", re.IGNORECASE)


def _one(marc: pymarc.Record, tag: str) -> pymarc.Field | None:
    fields = marc.get_fields(tag)
    return fields[0] if fields else None


def _first(marc: pymarc.Record, tag: str, code: str) -> str:
    for field in marc.get_fields(tag):
        for value in field.get_subfields(code):
            if clean(value):
                return clean(value)
    return ""


def _role(field: pymarc.Field) -> str:
    for code in ("4", "e"):
        for value in field.get_subfields(code):
            role = _ROLES.get(clean(value).rstrip(".").casefold())
            if role:
                return role
    return ContributorRole.AUTHOR


def _contributors(marc: pymarc.Record) -> list[Contributor]:
    people = []
    for field in marc.get_fields("100", "110", "700", "710"):
        if "isb" in field.get_subfields("4"):
            continue  # a case review's board, an issuing body rather than a contributor
        name = clean(" ".join(field.get_subfields("a", "b")))
        if field.tag in ("110", "710"):
            if name:
                people.append(Contributor(name.rstrip("."), "", True, _role(field)))
            continue
        contributor = personal_name(name, _role(field))
        if contributor is not None:
            contributor.is_organisation = False
            people.append(contributor)
    return people


def _publication(marc: pymarc.Record) -> tuple[str, str, str]:
    # 264 second indicator 1 is publication; older records use 260.
    fields = [f for f in marc.get_fields("264") if f.indicator2 == "1"] or marc.get_fields("260")
    for field in fields:
        place = clean(" ".join(field.get_subfields("a")[:1]))
        publisher = clean(" ".join(field.get_subfields("b")[:1]))
        date = " ".join(field.get_subfields("c"))
        return place.strip("[]"), publisher, date
    return "", "", ""


def _record_type(marc: pymarc.Record) -> str:
    for genre in marc.get_fields("655"):
        found = _RECORD_TYPES.get(clean(genre.get("a", "")).casefold())
        if found and found != RecordType.CASE_REVIEW:
            return found
    if marc.leader[7:8] in ("a", "b") or marc.get_fields("773"):
        return RecordType.JOURNAL_ARTICLE
    return RecordType.BOOK


def _host_item(record: ImportedRecord, marc: pymarc.Record) -> None:
    for field in marc.get_fields("773"):
        record.journal_title = clean(field.get("t", "") or field.get("a", ""))
        parts = " ".join(field.get_subfields("g"))
        for pattern, name in ((_VOLUME, "volume"), (_ISSUE, "issue"), (_PAGES, "page_range")):
            match = pattern.search(parts)
            if match:
                setattr(record, name, match.group(1).replace(" ", ""))
        if field.get("x"):
            record.issn = clean(field["x"])
        return


def _web_address(marc: pymarc.Record, doi: str) -> str:
    for field in marc.get_fields("856"):
        if field.indicator2 == "2":
            continue  # a related resource, such as the record's page in the exporting catalogue
        for url in field.get_subfields("u"):
            url = url.strip()
            if url and not (doi and "doi.org/" in url):
                return url
    return ""


def _standard_number(marc: pymarc.Record, tag: str) -> str:
    """The first 020/022 $a, without the qualifier catalogues add ("0123456789 (pbk.)")."""
    value = _first(marc, tag, "a")
    return value.split(" ")[0] if value else ""


def marc_to_record(marc: pymarc.Record, position: str) -> ImportedRecord:
    """One pymarc record as a neutral record (not yet checked)."""
    title_field = _one(marc, "245")
    record = ImportedRecord(position=position)
    if title_field is not None:
        record.title = clean(" ".join(title_field.get_subfields("a", "n", "p")))
        record.subtitle = clean(" ".join(title_field.get_subfields("b")))
    record.contributors = _contributors(marc)
    record.place_of_publication, record.publisher, date = _publication(marc)
    fixed = _one(marc, "008").data if _one(marc, "008") is not None else ""
    record.publication_year = year_in(date) or year_in(fixed[7:11])
    record.edition = _first(marc, "250", "a")
    record.extent = _first(marc, "300", "a")
    record.series = _first(marc, "490", "a") or _first(marc, "830", "a")
    record.notes = _first(marc, "500", "a")
    record.abstract = abstract_html(" ".join(f.get("a", "") for f in marc.get_fields("520")))
    record.isbn = _standard_number(marc, "020")
    record.issn = _standard_number(marc, "022")
    for field in marc.get_fields("024"):
        if field.indicator1 == "7" and "doi" in [s.lower() for s in field.get_subfields("2")]:
            record.doi = clean(field.get("a", ""))
    record.record_type = _record_type(marc)
    if record.record_type == RecordType.JOURNAL_ARTICLE:
        _host_item(record, marc)
    record.web_address = _web_address(marc, record.doi)
    language = _first(marc, "041", "a")[:3] or fixed[35:38]
    record.language = _LANGUAGES.get(language, language if language.strip(" |") else "en")
    if record.language in ("und", "zxx"):
        record.language = "en"
    record.nation = _COUNTRIES.get(fixed[15:18], "")
    for field in marc.get_fields("650", "651", "653"):
        term = clean(" -- ".join(field.get_subfields("a", "x", "z")))
        if field.tag == "651" and term.casefold() in _NATIONS:
            record.nation = _NATIONS[term.casefold()]
            continue
        record.terms.append(term)
    control = _one(marc, "001").data.strip() if _one(marc, "001") is not None else ""
    if control:
        agency = _one(marc, "003").data.strip() if _one(marc, "003") is not None else ""
        record.source_ids.append(f"({agency}){control}" if agency else control)
    for field in marc.get_fields("035"):
        record.source_ids += [clean(value) for value in field.get_subfields("a") if clean(value)]
    return record


def read_marc(data: bytes) -> Iterator[ImportedRecord | Rejection]:
    """Records from MARC 21 binary; MARC-8 or UTF-8 as each record's leader/09 says."""
    reader = pymarc.MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=False, permissive=True)
    offset = 0
    for number, marc in enumerate(_quietly(reader), start=1):
        position = f"record {number} (byte {offset})"
        offset += len(reader.current_chunk or b"")
        if marc is None:
            reason = type(reader.current_exception).__name__ if reader.current_exception else ""
            yield Rejection(position, f"unreadable record ({_explain(reason)})")
            continue
        yield marc_to_record(marc, position)


def _quietly(reader):
    # pymarc warns about each odd subfield code; a rejection or the record itself says enough.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield from reader


def _explain(exception_name: str) -> str:
    words = re.sub(r"(?<!^)([A-Z])", r" \1", exception_name).lower()
    return words or "not MARC 21"


def read_marcxml(data: bytes) -> Iterator[ImportedRecord | Rejection]:
    """Records from a MARCXML collection (the MARC 21 slim schema)."""
    try:
        records = pymarc.parse_xml_to_array(io.BytesIO(data), strict=False)
    except Exception as error:  # noqa: BLE001 - any parser failure means the file is unreadable
        raise UnreadableFile(f"the file is not readable MARCXML ({error})") from error
    for number, marc in enumerate(records, start=1):
        yield marc_to_record(marc, f"record {number}")
