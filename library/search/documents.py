"""The search document: what every engine indexes for one catalogue record."""

from dataclasses import dataclass, field

from django.utils.html import strip_tags

from library import identifiers


@dataclass
class SearchDocument:
    """A record flattened for indexing; text fields are plain text, facets are codes."""

    id: int
    title: str
    title_sort: str
    authors: list[str]
    subjects: list[str]
    subject_ids: list[int]
    keywords: list[str]
    publisher: str
    board: list[str]
    identifiers: list[str]
    body: str
    year: int | None
    date_added: str
    record_type: str
    nation: str
    review_type: str
    board_id: int | None
    availability: str
    section_id: int
    restriction_ids: list[int] = field(default_factory=list)

    def text_fields(self) -> dict[str, str]:
        """The full-text fields as single strings, keyed by query-language field."""
        return {
            "title": self.title,
            "author": " ; ".join(self.authors),
            "subject": " ; ".join(self.subjects),
            "keyword": " ; ".join(self.keywords),
            "publisher": self.publisher,
            "board": " ; ".join(self.board),
            "identifier": " ".join(self.identifiers),
            "body": self.body,
        }


def subject_terms_with_broader(subjects, all_subjects: dict[int, object]) -> tuple[list, list]:
    """Names (with use-for terms) and ids of `subjects` plus every broader term above them.

    A record about "sexual exploitation" is also found and counted under "sexual abuse".
    """
    names: list[str] = []
    ids: list[int] = []
    for subject in subjects:
        current = subject
        seen = set()
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            if current.pk not in ids:
                ids.append(current.pk)
                if current is subject:
                    names.append(current.name)
                    names.extend(current.use_for_terms())
            current = all_subjects.get(current.broader_id)
    return names, ids


def build_document(
    record, *, subjects_by_id: dict, restriction_ids: list[int], section_id: int
) -> SearchDocument:
    """The search document for one live record (`record` is the specific page)."""
    subject_names, subject_ids = subject_terms_with_broader(
        list(record.subjects.all())
        + list(getattr(record, "themes", None).all() if hasattr(record, "themes") else []),
        subjects_by_id,
    )
    board = getattr(record, "board", None)
    ids = [value for value in (record.isbn, record.issn, record.doi) if value]
    if record.isbn:
        ids.append(identifiers.isbn_to_13(record.isbn))
    body_parts = [
        strip_tags(record.abstract or ""),
        record.notes,
        record.journal_title,
        record.series,
        record.place_of_publication,
    ]
    if hasattr(record, "recommendations"):
        body_parts.extend(rec.text for rec in record.recommendations.all())
    return SearchDocument(
        id=record.pk,
        title=" : ".join(part for part in (record.title, record.subtitle) if part),
        title_sort=identifiers.normalise_title(record.title)[:200],
        authors=[str(contributor) for contributor in record.contributors.all()],
        subjects=subject_names,
        subject_ids=subject_ids,
        keywords=[tagged.tag.name for tagged in record.tagged_keywords.all()],
        publisher=record.publisher,
        board=[board.name, *board.former_name_list()] if board else [],
        identifiers=list(dict.fromkeys(ids)),
        body="\n".join(part for part in body_parts if part),
        year=record.publication_year,
        date_added=record.date_added.isoformat(),
        record_type=record.record_type,
        nation=record.nation,
        review_type=getattr(record, "review_type", "") or "",
        board_id=board.pk if board else None,
        availability=record.availability,
        section_id=section_id,
        restriction_ids=restriction_ids,
    )
