"""Catalogue records as CSL-JSON items, the common shape every citation and export works from.

CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) is what citation
processors and reference managers read. Reading lists build the same dict shape for entries
that are not catalogued, so RIS, BibTeX, CSL-JSON and formatted citations all start here.
"""

import re
from collections.abc import Iterable

from library.formats.text import clean_text, html_to_text, single_line
from library.models import CaseReview, CatalogueRecord, ContributorRole, RecordType

# How each catalogue record type is described to citation processors (CSL item types).
CSL_TYPES: dict[str, str] = {
    RecordType.BOOK: "book",
    RecordType.REPORT: "report",
    RecordType.JOURNAL_ARTICLE: "article-journal",
    RecordType.GUIDANCE: "report",
    RecordType.RESEARCH: "report",
    RecordType.BRIEFING: "report",
    RecordType.CASE_REVIEW: "report",
}

# CSL name variables for contributor roles; `compiler` is CSL 1.0.2.
CSL_ROLES: dict[str, str] = {
    ContributorRole.AUTHOR: "author",
    ContributorRole.EDITOR: "editor",
    ContributorRole.COMPILER: "compiler",
}

_PAGE_COUNT = re.compile(r"(\d+)\s*(?:p\.?|pp\.?|pages?)?", re.IGNORECASE)


def csl_name(contributor) -> dict[str, str]:
    """One contributor as a CSL name: family and given names, or a literal organisation name."""
    family = clean_text(contributor.family_name)
    if contributor.is_organisation:
        return {"literal": family}
    given = clean_text(contributor.given_names)
    return {"family": family, "given": given} if given else {"family": family}


def csl_issued(record: CatalogueRecord) -> dict | None:
    """The publication date as CSL date-parts: the full date when known, else the year."""
    if record.publication_date:
        date = record.publication_date
        return {"date-parts": [[date.year, date.month, date.day]]}
    if record.publication_year:
        return {"date-parts": [[int(record.publication_year)]]}
    return None


def full_title(title: str, subtitle: str) -> str:
    """Title and subtitle joined as a citation prints them: "Title: subtitle"."""
    title, subtitle = clean_text(title), clean_text(subtitle)
    if not subtitle:
        return title
    if title.endswith((":", "?", "!", ".")):
        return f"{title} {subtitle}"
    return f"{title}: {subtitle}"


def catalogue_url(record: CatalogueRecord, base_url: str = "") -> str:
    """The record's page in the catalogue, on `base_url` when given (e.g. the site's address)."""
    if record.pk is None:
        return ""
    parts = record.get_url_parts()
    if parts is None:
        return ""
    _site_id, root_url, page_path = parts
    if base_url:
        return base_url.rstrip("/") + page_path
    return (root_url or "") + page_path


def case_review_of(record: CatalogueRecord) -> CaseReview | None:
    """The record as a CaseReview when it is one (fetching the specific page if needed)."""
    if isinstance(record, CaseReview):
        return record
    if record.record_type == RecordType.CASE_REVIEW and record.pk is not None:
        specific = record.specific
        return specific if isinstance(specific, CaseReview) else None
    return None


def record_terms(record: CatalogueRecord) -> tuple[list[str], list[str]]:
    """The record's subject headings (with a case review's themes) and its free keywords."""
    if record.pk is None:
        return [], []
    subjects = [subject.name for subject in record.subjects.all()]
    review = case_review_of(record)
    if review is not None:
        subjects += [theme.name for theme in review.themes.all() if theme.name not in subjects]
    return subjects, keyword_names(record)


def keyword_names(record: CatalogueRecord) -> list[str]:
    """The record's free keywords in name order.

    Read from its tagged keywords when those were prefetched with their tags (as
    `library.record_details.load_records` does): asking the taggit manager instead builds a
    fresh query per record even when its tags are prefetched (some 7% of preparing a detail)."""
    tagged = record.tagged_keywords
    prefetched = getattr(record, "_prefetched_objects_cache", {})
    if "tagged_keywords" in prefetched and not tagged.is_deferring:
        return sorted(item.tag.name for item in prefetched["tagged_keywords"])
    return sorted(tag.name for tag in record.keywords.all())


def record_to_csl(record: CatalogueRecord, base_url: str = "") -> dict:
    """A catalogue record as one CSL-JSON item (empty fields are left out, as CSL expects).

    `base_url` (such as ``https://library.example.org``) makes the catalogue address in
    ``custom.catalogue-url`` absolute; without it the site's own root URL is used.
    """
    item: dict = {
        "id": f"record-{record.pk}" if record.pk is not None else "record",
        "type": CSL_TYPES.get(record.record_type, "report"),
        "title": full_title(record.title, record.subtitle),
    }
    for contributor in record.contributor_list:
        role = CSL_ROLES.get(contributor.role, "author")
        item.setdefault(role, []).append(csl_name(contributor))

    review = case_review_of(record)
    board_name = clean_text(review.board.name) if review and review.board else ""
    if review is not None:
        item["genre"] = str(review.get_review_type_display())
        # A case review without named authors is cited under the board that commissioned it.
        if board_name and not any(key in item for key in CSL_ROLES.values()):
            item["author"] = [{"literal": board_name}]

    issued = csl_issued(record)
    if issued:
        item["issued"] = issued
    page_count = _PAGE_COUNT.fullmatch(clean_text(record.extent))
    subjects, keywords = record_terms(record)
    optional = {
        "publisher": record.publisher or board_name,
        "publisher-place": record.place_of_publication,
        "edition": record.edition,
        "collection-title": record.series,
        "container-title": record.journal_title,
        "volume": record.volume,
        "issue": record.issue,
        "page": record.page_range,
        "number-of-pages": page_count.group(1) if page_count else "",
        "ISBN": record.isbn,
        "ISSN": record.issn,
        "DOI": record.doi,
        "URL": record.web_address,
        "language": record.language,
        "abstract": html_to_text(record.abstract),
        "note": record.notes,
        "keyword": ", ".join(subjects + keywords),
    }
    item.update({key: clean_text(value) for key, value in optional.items() if clean_text(value)})
    item["custom"] = {
        "record-id": record.pk,
        "record-type": record.record_type,
        "catalogue-url": catalogue_url(record, base_url),
        "subjects": subjects,
        "keywords": keywords,
    }
    return item


def records_to_csl(records: Iterable[CatalogueRecord], base_url: str = "") -> list[dict]:
    """Several records as CSL-JSON items, in the order given."""
    return [record_to_csl(record, base_url) for record in records]


def prefetch_for_export(queryset):
    """A record QuerySet with what the exporters read fetched in a few queries, not per record.

    Case reviews loaded through the base class fetch their own page once each; pass a
    `CaseReview` QuerySet (or call `.specific()`) when exporting many of them.
    """
    queryset = queryset.prefetch_related("contributors", "subjects", "keywords")
    if issubclass(queryset.model, CaseReview):
        queryset = queryset.select_related("board").prefetch_related("themes")
    return queryset


# Reading CSL items (whether built from records or by a reading list).


def name_text(name: dict) -> str:
    """A CSL name as reference files write it: "Family, Given", or an organisation's name."""
    if "literal" in name:
        return single_line(name["literal"])
    family, given = single_line(name.get("family")), single_line(name.get("given"))
    return f"{family}, {given}" if given else family


def issued_parts(item: dict) -> list[int]:
    """The [year, month, day] parts of an item's publication date that are known."""
    try:
        parts = item["issued"]["date-parts"][0]
        return [int(part) for part in parts if part not in (None, "")]
    except (KeyError, IndexError, TypeError, ValueError):
        return []


def split_pages(page_range: str) -> tuple[str, str]:
    """A page range split into first and last page ("189-192" gives 189 and 192)."""
    for dash in ("--", "–", "—", "-"):
        if dash in page_range:
            start, _, end = page_range.partition(dash)
            return start.strip(), end.strip()
    return page_range.strip(), ""


def item_keywords(item: dict) -> list[str]:
    """Subject headings and keywords: the lists kept in `custom`, else CSL's joined string."""
    custom = item.get("custom") or {}
    if "subjects" in custom or "keywords" in custom:
        return [*custom.get("subjects", []), *custom.get("keywords", [])]
    return [term.strip() for term in str(item.get("keyword", "")).split(",") if term.strip()]
