"""The reading lists router of the partner API, mounted at /api/v3/reading-lists/.

Entries come from `ReadingListPage.sections_for(user)` and `see_also_for(user)`, the same
methods the pages use, so an entry whose record the caller may not see is left out here too.
"""

import datetime

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from library.api.catalogue import SubjectKey
from library.api.plumbing import (
    MAX_ID,
    Pagination,
    absolute,
    api_url,
    documented,
    index_version,
    not_found,
    not_modified,
    page_url,
    record_api_url,
    validators,
)
from library.record_details import SubjectRef, rich_text, subject_ref
from library.visibility import visible_pages
from readinglists.entries import ListEntry
from readinglists.models import ReadingListPage

router = Router(tags=["reading lists"])


class ReadingListSummary(Schema):
    id: int
    title: str
    compiled: datetime.date = Field(..., description="The month compiled (the first day).")
    compiler: str
    subjects: list[SubjectRef]
    url: str = Field(..., description="The list's page on the site.")
    api_url: str


class ReadingListList(Schema):
    count: int
    items: list[ReadingListSummary]


class EntryRecord(Schema):
    id: int
    api_url: str
    url: str


class Entry(Schema):
    id: str
    kind: str = Field(..., description='"record" (a catalogue record) or "citation".')
    title: str
    item_type: str
    authors: list[str]
    authors_text: str
    edition: str
    place: str
    publisher: str
    year: int | None
    date_text: str
    journal: str
    volume: str
    issue: str
    pages: str
    link_url: str = Field(..., description="The document or web address the title links to.")
    format: str = Field(..., description='Such as "PDF 319kb".')
    annotation: str = Field(..., description="HTML; a record's abstract when the entry has none.")
    record: EntryRecord | None


class Section(Schema):
    id: str
    heading: str
    introduction: str
    entries: list[Entry]


class SeeAlsoItem(Schema):
    kind: str = Field(..., description='"link" or "entry".')
    label: str
    url: str
    entry: Entry | None


class ReadingListDetail(ReadingListSummary):
    introduction: str
    sections: list[Section]
    see_also: list[SeeAlsoItem]
    closing_note: str
    last_published_at: datetime.datetime | None


class ListQuery(Pagination):
    topic: SubjectKey | None = Field(None, description="Only lists on this subject (slug).")


def visible_lists(user):
    """Published lists this user may see, newest first (then by title and id: stable pages)."""
    return visible_pages(ReadingListPage.objects.all(), user).order_by("-compiled", "title", "pk")


def list_summary(request: HttpRequest, reading_list: ReadingListPage) -> dict:
    return {
        "id": reading_list.pk,
        "title": reading_list.title,
        "compiled": reading_list.compiled,
        "compiler": reading_list.compiler,
        "subjects": [subject_ref(topic) for topic in reading_list.topics.all()],
        "url": page_url(request, reading_list),
        "api_url": api_url(request, "reading_list_detail", list_id=reading_list.pk),
    }


def entry_data(request: HttpRequest, entry: ListEntry) -> dict:
    record = entry.record
    return {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "item_type": entry.item_type,
        "authors": [name.display() for name in entry.authors],
        "authors_text": entry.authors_text,
        "edition": entry.edition,
        "place": entry.place,
        "publisher": entry.publisher,
        "year": entry.year,
        "date_text": entry.date_text,
        "journal": entry.journal,
        "volume": entry.volume,
        "issue": entry.issue,
        "pages": entry.pages,
        "link_url": absolute(request, entry.link_url),
        "format": entry.format_label(),
        "annotation": str(entry.annotation) if entry.annotation is not None else "",
        "record": (
            {
                "id": record.pk,
                "api_url": record_api_url(request, record.pk),
                "url": page_url(request, record),
            }
            if record is not None
            else None
        ),
    }


def see_also_data(request: HttpRequest, kind: str, value) -> dict:
    if kind == "entry":
        return {
            "kind": "entry",
            "label": value.title,
            "url": "",
            "entry": entry_data(request, value),
        }
    page = value.get("page")
    url = page_url(request, page) if page is not None and page.live else ""
    return {
        "kind": "link",
        "label": value["label"],
        "url": url or value.get("url") or "",
        "entry": None,
    }


@router.get(
    "/",
    response={200: ReadingListList, 304: None},
    url_name="reading_lists_list",
    operation_id="reading_lists_list",
    summary="Reading lists",
    description="Published reading lists the caller may see, newest first.",
    openapi_extra=documented(422),
)
def reading_lists(request, response: HttpResponse, query: ListQuery = Query(...)):  # noqa: B008
    """A page of reading lists, optionally on one topic."""
    lists = visible_lists(request.user)
    if query.topic:
        lists = lists.filter(topics__slug=query.topic)
    summary = lists.aggregate(count=Count("pk"), changed=Max("last_published_at"))
    # Lists differ by caller, so they are validated by their ETag alone.
    found = validators(
        request, "reading-lists", summary["count"], summary["changed"], index_version(request)
    )
    if (unchanged := not_modified(request, response, found)) is not None:
        return unchanged
    chosen = lists.prefetch_related("topics")[query.offset : query.offset + query.limit]
    return {
        "count": summary["count"],
        "items": [list_summary(request, reading_list) for reading_list in chosen],
    }


@router.get(
    "/{list_id}",
    response={200: ReadingListDetail, 304: None},
    url_name="reading_list_detail",
    operation_id="reading_list_detail",
    summary="A reading list",
    description="Sections in order with their entries and annotations; an entry that points at "
    "a catalogue record carries the record's id and API address. Entries for records the "
    "caller may not see are left out.",
    openapi_extra=documented(404, 422),
)
def reading_list(request, response: HttpResponse, list_id: int = Path(..., ge=1, le=MAX_ID)):
    """One reading list with the entries the caller may see."""
    found = visible_lists(request.user).filter(pk=list_id).prefetch_related("topics").first()
    if found is None:
        raise not_found(_("reading list"))
    # Entries differ by caller, so the list is validated by its ETag alone.
    validated = validators(
        request, "reading-list", found.pk, found.last_published_at, index_version(request)
    )
    if (unchanged := not_modified(request, response, validated)) is not None:
        return unchanged
    return {
        **list_summary(request, found),
        "introduction": rich_text(found.introduction),
        "sections": [
            {
                "id": section.id,
                "heading": section.heading,
                "introduction": str(section.introduction) if section.introduction else "",
                "entries": [entry_data(request, entry) for entry in section.entries],
            }
            for section in found.sections_for(request.user)
        ],
        "see_also": [
            see_also_data(request, kind, value) for kind, value in found.see_also_for(request.user)
        ],
        "closing_note": rich_text(found.closing_note),
        "last_published_at": found.last_published_at,
    }
