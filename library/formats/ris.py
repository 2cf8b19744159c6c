"""RIS (EndNote, Zotero, Mendeley, RefWorks) from CSL-JSON items, written by rispy."""

import rispy

from library.formats.csl import issued_parts, item_keywords, name_text, split_pages
from library.formats.text import single_line

# CSL item type -> RIS reference type; anything else is a generic reference.
RIS_TYPES: dict[str, str] = {
    "book": "BOOK",
    "report": "RPRT",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "chapter": "CHAP",
    "thesis": "THES",
    "webpage": "ELEC",
    "dataset": "DATA",
    "legislation": "STAT",
}


def csl_to_ris_entry(item: dict) -> dict:
    """One CSL item as a rispy entry (keys are rispy's names for RIS tags)."""
    csl_type = item.get("type", "")
    entry: dict = {"type_of_reference": RIS_TYPES.get(csl_type, "GEN")}
    if item.get("id"):
        entry["id"] = single_line(item["id"])
    entry["title"] = single_line(item.get("title"))
    authors = [name_text(name) for name in item.get("author", [])]
    editors = [name_text(name) for name in (*item.get("editor", []), *item.get("compiler", []))]
    if authors:
        entry["authors"] = authors
    if editors:
        entry["secondary_authors"] = editors
    parts = issued_parts(item)
    if parts:
        entry["year"] = str(parts[0])
        if len(parts) > 1:
            # RIS dates are YYYY/MM/DD/ with an unknown day left blank.
            month_day = [f"{part:02d}" for part in parts[1:]] + [""]
            entry["date"] = f"{parts[0]}/{month_day[0]}/{month_day[1]}/"
    if csl_type == "article-journal" and item.get("container-title"):
        entry["secondary_title"] = single_line(item["container-title"])
        entry["journal_name"] = single_line(item["container-title"])
    elif item.get("collection-title"):
        entry["secondary_title"] = single_line(item["collection-title"])
    if item.get("page"):
        start, end = split_pages(str(item["page"]))
        entry["start_page"] = start
        if end:
            entry["end_page"] = end
    simple = {
        "publisher": "publisher",
        "publisher-place": "place_published",
        "edition": "edition",
        "volume": "volume",
        "issue": "number",
        "DOI": "doi",
        "language": "language",
        "abstract": "abstract",
        "genre": "type_of_work",
    }
    for csl_key, ris_key in simple.items():
        value = single_line(item.get(csl_key))
        if value:
            entry[ris_key] = value
    standard_number = item.get("ISSN") if csl_type == "article-journal" else None
    standard_number = standard_number or item.get("ISBN") or item.get("ISSN")
    if standard_number:
        entry["issn"] = single_line(standard_number)
    if item.get("URL"):
        entry["urls"] = [single_line(item["URL"])]
    keywords = [single_line(term) for term in item_keywords(item)]
    if keywords:
        entry["keywords"] = keywords
    if item.get("note"):
        entry["notes"] = [single_line(item["note"])]
    return entry


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." numbering line before each reference."""

    def set_header(self, count: int) -> str:
        return ""


def csl_to_ris(items: list[dict]) -> str:
    """CSL items as one RIS file."""
    return rispy.dumps([csl_to_ris_entry(item) for item in items], implementation=_RisWriter)
