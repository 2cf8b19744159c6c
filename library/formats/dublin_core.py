"""Simple Dublin Core in the OAI-PMH `oai_dc` container, built with lxml.

`record_to_dc` gives the element that OAI-PMH responses embed; `records_to_dc_xml` a standalone
document for downloads.
"""

from lxml import etree

from library.formats.csl import case_review_of, catalogue_url, full_title, record_terms
from library.formats.text import clean_text, html_to_text
from library.models import CatalogueRecord, ContributorRole

OAI_DC_NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
NAMESPACES = {"oai_dc": OAI_DC_NAMESPACE, "dc": DC_NAMESPACE, "xsi": XSI_NAMESPACE}


def _person(contributor) -> str:
    if contributor.is_organisation or not contributor.given_names:
        return contributor.family_name
    return f"{contributor.family_name}, {contributor.given_names}"


def dc_values(record: CatalogueRecord, base_url: str = "") -> list[tuple[str, str]]:
    """The record's Dublin Core elements as (element name, value) pairs, in a stable order."""
    values: list[tuple[str, str]] = [("title", full_title(record.title, record.subtitle))]
    for contributor in record.contributor_list:
        element = "contributor" if contributor.role == ContributorRole.EDITOR else "creator"
        values.append((element, _person(contributor)))
    review = case_review_of(record)
    board = review.board.name if review is not None and review.board else ""
    if board and not record.contributor_list:
        values.append(("creator", board))
    subjects, keywords = record_terms(record)
    values += [("subject", term) for term in subjects + keywords]
    values.append(("description", html_to_text(record.abstract)))
    values.append(("publisher", record.publisher or board))
    if record.publication_date:
        values.append(("date", record.publication_date.isoformat()))
    elif record.publication_year:
        values.append(("date", str(record.publication_year)))
    # The DCMI type vocabulary first, then the catalogue's own, more precise type.
    values.append(("type", "Text"))
    genre = review.get_review_type_display() if review is not None else None
    values.append(("type", str(genre or record.get_record_type_display())))
    values.append(("format", record.extent))
    values.append(("identifier", catalogue_url(record, base_url)))
    values.append(("identifier", record.web_address))
    if record.doi:
        values.append(("identifier", f"https://doi.org/{record.doi}"))
    if record.isbn:
        values.append(("identifier", f"urn:isbn:{record.isbn}"))
    if record.issn:
        values.append(("identifier", f"urn:issn:{record.issn}"))
    if record.journal_title:
        values.append(("source", _journal_citation(record)))
    values.append(("relation", record.series))
    values.append(("language", record.language))
    if review is not None:
        values.append(("coverage", str(review.get_nation_display())))
    return [(name, clean_text(value)) for name, value in values if clean_text(value)]


def _journal_citation(record: CatalogueRecord) -> str:
    text = record.journal_title
    if record.volume:
        text += f", {record.volume}"
        if record.issue:
            text += f"({record.issue})"
    if record.page_range:
        text += f", {record.page_range}"
    return text


def record_to_dc(record: CatalogueRecord, base_url: str = "") -> etree._Element:
    """An `oai_dc:dc` element holding the record's Dublin Core."""
    root = etree.Element(f"{{{OAI_DC_NAMESPACE}}}dc", nsmap=NAMESPACES)
    root.set(f"{{{XSI_NAMESPACE}}}schemaLocation", f"{OAI_DC_NAMESPACE} {OAI_DC_SCHEMA}")
    for name, value in dc_values(record, base_url):
        etree.SubElement(root, f"{{{DC_NAMESPACE}}}{name}").text = value
    return root


def records_to_dc_xml(records, base_url: str = "") -> str:
    """An XML document: one record's `oai_dc:dc` as the root, or several inside `<records>`."""
    elements = [record_to_dc(record, base_url) for record in records]
    if len(elements) == 1:
        root = elements[0]
    else:
        root = etree.Element("records", nsmap=NAMESPACES)
        root.extend(elements)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode(
        "utf-8"
    )
