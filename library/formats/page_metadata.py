"""Citation metadata that reference managers and search engines read from a record's page,
written from the record's CSL-JSON item (library.formats.csl) like every other format:
Highwire Press `citation_*` meta tags, schema.org JSON-LD and COinS (OpenURL in a span).
"""

from urllib.parse import urlencode

from library.formats.csl import issued_parts, item_keywords, name_text, split_pages

# CSL item types -> schema.org types.
SCHEMA_TYPES: dict[str, str] = {
    "book": "Book",
    "chapter": "Chapter",
    "article-journal": "ScholarlyArticle",
    "report": "Report",
}
# CSL item types -> (OpenURL metadata format, genre).
OPENURL_KINDS: dict[str, tuple[str, str]] = {
    "book": ("book", "book"),
    "chapter": ("book", "bookitem"),
    "article-journal": ("journal", "article"),
    "report": ("book", "report"),
}


def _names(item: dict, role: str = "author") -> list[str]:
    return [name_text(name) for name in item.get(role, [])]


def _slash_date(item: dict) -> str:
    return "/".join(
        f"{part:02d}" if index else str(part) for index, part in enumerate(issued_parts(item))
    )


def _iso_date(item: dict) -> str:
    return "-".join(
        f"{part:02d}" if index else str(part) for index, part in enumerate(issued_parts(item))
    )


def highwire_tags(item: dict, pdf_url: str = "") -> list[tuple[str, str]]:
    """(name, content) of the `citation_*` meta tags Google Scholar and Zotero read."""
    first_page, last_page = split_pages(item.get("page", ""))
    kind = item.get("type")
    tags: list[tuple[str, str]] = [("citation_title", item.get("title", ""))]
    tags += [("citation_author", name) for name in _names(item) or _names(item, "editor")]
    tags += [
        ("citation_publication_date", _slash_date(item)),
        ("citation_publisher", item.get("publisher", "")),
        (
            "citation_journal_title" if kind == "article-journal" else "citation_series_title",
            item.get("container-title", "")
            if kind == "article-journal"
            else item.get("collection-title", ""),
        ),
        ("citation_volume", item.get("volume", "")),
        ("citation_issue", item.get("issue", "")),
        ("citation_firstpage", first_page),
        ("citation_lastpage", last_page),
        ("citation_issn", item.get("ISSN", "")),
        ("citation_isbn", item.get("ISBN", "")),
        ("citation_doi", item.get("DOI", "")),
        ("citation_language", item.get("language", "")),
        ("citation_pdf_url", pdf_url),
    ]
    if kind == "report":
        tags.append(("citation_technical_report_institution", item.get("publisher", "")))
    tags += [("citation_keywords", term) for term in item_keywords(item)]
    return [(name, str(value)) for name, value in tags if value]


def _person(text: str, organisation: bool) -> dict:
    return {"@type": "Organization" if organisation else "Person", "name": text}


def schema_org(item: dict, url: str, pdf_url: str = "") -> dict:
    """The record as schema.org JSON-LD of the right type (Book, Report, ScholarlyArticle...)."""
    kind = item.get("type", "report")
    data: dict = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(kind, "CreativeWork"),
        "@id": url,
        "url": url,
        "name": item.get("title", ""),
    }
    for role, key in (("author", "author"), ("editor", "editor")):
        people = [_person(name_text(name), "literal" in name) for name in item.get(role, [])]
        if people:
            data[key] = people
    optional = {
        "datePublished": _iso_date(item),
        "publisher": {"@type": "Organization", "name": item["publisher"]}
        if item.get("publisher")
        else None,
        "isbn": item.get("ISBN"),
        "bookEdition": item.get("edition") if kind == "book" else None,
        "numberOfPages": item.get("number-of-pages") if kind == "book" else None,
        "inLanguage": item.get("language"),
        "abstract": item.get("abstract"),
        "keywords": ", ".join(item_keywords(item)) or None,
        "genre": item.get("genre"),
        "sameAs": f"https://doi.org/{item['DOI']}" if item.get("DOI") else None,
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": pdf_url,
            "encodingFormat": "application/pdf",
        }
        if pdf_url
        else None,
    }
    if item.get("DOI"):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": item["DOI"]}
    if kind == "article-journal" and item.get("container-title"):
        container: dict = {"@type": "Periodical", "name": item["container-title"]}
        if item.get("ISSN"):
            container["issn"] = item["ISSN"]
        if item.get("volume"):
            container = {
                "@type": "PublicationVolume",
                "volumeNumber": item["volume"],
                "isPartOf": container,
            }
        if item.get("issue"):
            container = {
                "@type": "PublicationIssue",
                "issueNumber": item["issue"],
                "isPartOf": container,
            }
        data["isPartOf"] = container
        first_page, last_page = split_pages(item.get("page", ""))
        optional["pageStart"] = first_page
        optional["pageEnd"] = last_page
    data.update({key: value for key, value in optional.items() if value})
    return data


def coins(item: dict) -> str:
    """The OpenURL ContextObject (Z39.88-2004, KEV) that COinS puts in a span's title."""
    kind = item.get("type", "report")
    fmt, genre = OPENURL_KINDS.get(kind, ("book", "document"))
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}"),
        ("rft.genre", genre),
    ]
    title = item.get("title", "")
    if fmt == "journal":
        pairs += [("rft.atitle", title), ("rft.jtitle", item.get("container-title", ""))]
    else:
        pairs.append(("rft.btitle", title))
    pairs += [("rft.au", name) for name in _names(item)]
    first_page, last_page = split_pages(item.get("page", ""))
    pairs += [
        ("rft.date", _iso_date(item)),
        ("rft.pub", item.get("publisher", "")),
        ("rft.place", item.get("publisher-place", "")),
        ("rft.volume", item.get("volume", "")),
        ("rft.issue", item.get("issue", "")),
        ("rft.spage", first_page),
        ("rft.epage", last_page),
        ("rft.issn", item.get("ISSN", "")),
        ("rft.isbn", item.get("ISBN", "")),
        ("rft_id", f"info:doi/{item['DOI']}" if item.get("DOI") else ""),
    ]
    return urlencode([(key, str(value)) for key, value in pairs if value])
