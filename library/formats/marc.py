"""MARC 21 bibliographic records from catalogue records (pymarc), written as MARCXML.

The field-by-field mapping is documented in docs/marc-mapping.md; keep the two in step.
"""

import io
import re

from pymarc import Field, Indicators, Leader, Record, Subfield, XMLWriter

from library.formats.csl import case_review_of, catalogue_url, record_terms
from library.formats.text import html_to_text, single_line
from library.models import CatalogueRecord, ContributorRole, RecordType
from library.models.snippets import Nation

MARCXML_NAMESPACE = "http://www.loc.gov/MARC21/slim"

# ISO 639-1 codes cataloguers type -> MARC language codes (ISO 639-2/B).
MARC_LANGUAGES: dict[str, str] = {
    "en": "eng",
    "cy": "wel",
    "gd": "gla",
    "ga": "gle",
    "fr": "fre",
    "de": "ger",
    "es": "spa",
    "it": "ita",
    "pt": "por",
    "nl": "dut",
    "pl": "pol",
    "ro": "rum",
    "lt": "lit",
    "lv": "lav",
    "cs": "cze",
    "sk": "slo",
    "hu": "hun",
    "bg": "bul",
    "el": "gre",
    "tr": "tur",
    "ru": "rus",
    "uk": "ukr",
    "ar": "ara",
    "ur": "urd",
    "pa": "pan",
    "bn": "ben",
    "gu": "guj",
    "hi": "hin",
    "so": "som",
    "zh": "chi",
    "sv": "swe",
    "da": "dan",
    "no": "nor",
    "fi": "fin",
}
# MARC country codes for the UK nations (008/15-17); other places are "xx " (unknown).
MARC_COUNTRIES: dict[str, str] = {
    Nation.ENGLAND: "enk",
    Nation.NORTHERN_IRELAND: "nik",
    Nation.SCOTLAND: "stk",
    Nation.WALES: "wlk",
}
MARC_RELATORS: dict[str, tuple[str, str]] = {
    ContributorRole.AUTHOR: ("author", "aut"),
    ContributorRole.EDITOR: ("editor", "edt"),
    ContributorRole.COMPILER: ("compiler", "com"),
}
# Leading articles skipped in filing (245 second indicator), for English titles.
_LEADING_ARTICLES = re.compile(r"^(the |an |a )", re.IGNORECASE)


def marc_language(code: str) -> str:
    """The MARC language code for an ISO 639-1 code ("en" -> "eng"); "und" when unknown."""
    code = (code or "").strip().lower().split("-")[0]
    if len(code) == 3 and code.isalpha():
        return code
    return MARC_LANGUAGES.get(code, "und")


def _field(tag: str, indicators: str, *subfields: tuple[str, str]) -> Field | None:
    """A data field with its empty subfields dropped; None when nothing is left."""
    kept = [Subfield(code, single_line(value)) for code, value in subfields if single_line(value)]
    if not kept:
        return None
    return Field(tag=tag, indicators=Indicators(*indicators), subfields=kept)


def _personal_name(contributor) -> str:
    if contributor.given_names and not contributor.is_organisation:
        return f"{contributor.family_name}, {contributor.given_names}"
    return contributor.family_name


def _name_field(contributor, main_entry: bool) -> Field | None:
    relator, code = MARC_RELATORS.get(contributor.role, ("author", "aut"))
    if contributor.is_organisation:
        tag, indicators = ("110" if main_entry else "710"), "2 "
    else:
        tag, indicators = ("100" if main_entry else "700"), "1 "
    return _field(tag, indicators, ("a", _personal_name(contributor)), ("e", relator), ("4", code))


def _statement_of_responsibility(record: CatalogueRecord) -> str:
    names = []
    for contributor in record.contributor_list:
        if contributor.is_organisation or not contributor.given_names:
            names.append(contributor.family_name)
        else:
            names.append(f"{contributor.given_names} {contributor.family_name}")
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _fixed_length_data(record: CatalogueRecord) -> str:
    """The 40 characters of 008 for language material (the books format)."""
    entered = record.date_added.strftime("%y%m%d") if record.date_added else "||||||"
    if record.publication_year:
        date_type, date1 = "s", f"{int(record.publication_year):04d}"
    else:
        date_type, date1 = "n", "uuuu"
    country = MARC_COUNTRIES.get(record.nation, "xx ")
    form_of_item = "o" if record.web_address else " "
    positions = [
        entered,  # 00-05 date entered on file
        date_type + date1 + "    ",  # 06-14 type of date, date 1, date 2
        country,  # 15-17 place of publication
        "    ",  # 18-21 illustrations
        " ",  # 22 target audience
        form_of_item,  # 23 form of item: online when the record links to the full text
        "    ",  # 24-27 nature of contents
        " ",  # 28 government publication
        "000",  # 29-31 conference, festschrift, index
        " ",  # 32 undefined
        "0",  # 33 literary form: not fiction
        " ",  # 34 biography
        marc_language(record.language),  # 35-37 language
        " ",  # 38 modified record
        "d",  # 39 cataloguing source: other
    ]
    return "".join(positions)


def record_to_marc(record: CatalogueRecord, base_url: str = "") -> Record:
    """A catalogue record as a pymarc Record (MARC 21 bibliographic, Unicode)."""
    is_article = record.record_type == RecordType.JOURNAL_ARTICLE
    marc = Record(force_utf8=True)
    # Leader: new record, language material, serial component part or monograph, Unicode,
    # minimal level ("7"), ISBD punctuation omitted ("c").
    marc.leader.record_status = "n"
    marc.leader.type_of_record = "a"
    marc.leader.bibliographic_level = "b" if is_article else "m"
    marc.leader.coding_scheme = "a"
    marc.leader.encoding_level = "7"
    marc.leader.cataloging_form = "c"

    marc.add_field(Field(tag="001", data=str(record.pk or "")))
    changed = getattr(record, "last_published_at", None) or getattr(
        record, "latest_revision_created_at", None
    )
    if changed:
        marc.add_field(Field(tag="005", data=changed.strftime("%Y%m%d%H%M%S.0")))
    marc.add_field(Field(tag="008", data=_fixed_length_data(record)))

    review = case_review_of(record)
    contributors = record.contributor_list
    main = (
        contributors[0] if contributors and contributors[0].role == ContributorRole.AUTHOR else None
    )
    title = single_line(record.title)
    article = _LEADING_ARTICLES.match(title) if marc_language(record.language) == "eng" else None
    fields = [
        _field("020", "  ", ("a", record.isbn)),
        None if is_article else _field("022", "  ", ("a", record.issn)),
        _field("024", "7 ", ("a", record.doi), ("2", "doi")) if record.doi else None,
        _field("041", "0 ", ("a", marc_language(record.language))),
        _name_field(main, main_entry=True) if main else None,
        _field(
            "245",
            ("1" if main else "0") + str(len(article.group(1)) if article else 0),
            ("a", title),
            ("b", record.subtitle),
            ("c", _statement_of_responsibility(record)),
        ),
        _field("250", "  ", ("a", record.edition)),
        _field(
            "264",
            " 1",
            ("a", record.place_of_publication),
            ("b", record.publisher or (review.board.name if review and review.board else "")),
            ("c", str(record.publication_year or "")),
        ),
        _field("300", "  ", ("a", record.extent)),
        _field("490", "0 ", ("a", record.series)),
        _field("500", "  ", ("a", record.notes)),
        _field("520", "  ", ("a", html_to_text(record.abstract))),
    ]
    subjects, keywords = record_terms(record)
    fields += [_field("650", " 7", ("a", subject), ("2", "local")) for subject in subjects]
    if review is not None:
        fields.append(_field("651", " 4", ("a", review.get_nation_display())))
    fields += [_field("653", "  ", ("a", keyword)) for keyword in keywords]
    fields.append(_field("655", " 4", ("a", _genre(record, review))))
    fields += [_name_field(c, main_entry=False) for c in contributors if c is not main]
    if review is not None and review.board:
        fields.append(_field("710", "2 ", ("a", review.board.name), ("4", "isb")))
    if is_article:
        fields.append(
            _field(
                "773",
                "0 ",
                ("t", record.journal_title),
                ("g", _host_item_parts(record)),
                ("x", record.issn),
            )
        )
    fields.append(_field("856", "40", ("u", record.web_address)))
    if record.doi:
        fields.append(_field("856", "40", ("u", f"https://doi.org/{record.doi}")))
    fields.append(_field("856", "42", ("u", catalogue_url(record, base_url))))
    for field in fields:
        if field is not None:
            marc.add_field(field)
    return marc


def _genre(record: CatalogueRecord, review) -> str:
    if review is not None:
        return str(review.get_review_type_display())
    return str(record.get_record_type_display())


def _host_item_parts(record: CatalogueRecord) -> str:
    """773 $g, the article's place in its journal: "Vol. 97, no. 3 (2012), p. 189-192"."""
    parts = []
    if record.volume:
        parts.append(f"Vol. {record.volume}")
    if record.issue:
        parts.append(f"no. {record.issue}")
    text = ", ".join(parts)
    if record.publication_year:
        text = f"{text} ({record.publication_year})".strip()
    if record.page_range:
        text = f"{text}, p. {record.page_range}" if text else f"p. {record.page_range}"
    return text


def records_to_marcxml(records, base_url: str = "") -> str:
    """Records as a MARCXML collection in the MARC 21 slim namespace."""
    buffer = io.BytesIO()
    writer = XMLWriter(buffer)
    for record in records:
        marc = record_to_marc(record, base_url)
        # The leader's record length and base address are those of the MARC 21 serialisation.
        marc.leader = Leader(marc.as_marc()[:24].decode("ascii"))
        writer.write(marc)
    writer.close(close_fh=False)
    return buffer.getvalue().decode("utf-8")


def record_to_marcxml_element(record: CatalogueRecord, base_url: str = ""):
    """One record as a MARCXML `record` element (lxml) in the MARC 21 slim namespace, as
    OAI-PMH's `marc21` format embeds it."""
    from lxml import etree
    from pymarc import record_to_xml

    marc = record_to_marc(record, base_url)
    marc.leader = Leader(marc.as_marc()[:24].decode("ascii"))
    return etree.fromstring(record_to_xml(marc, namespace=True))
