"""Keep the search index in step with the catalogue: build documents and hand them to the
engine in use."""

from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Prefetch
from wagtail.models import Page, PageViewRestriction

from library.models.records import CaseReview, CatalogueRecord, RecordKeyword, RecordType
from library.models.snippets import Subject
from library.search.documents import SearchDocument, build_document
from library.search.engines import get_engine
from library.search.models import PendingIndexUpdate, SearchIndexState

CHUNK = 2000


def _restrictions() -> list[tuple[int, str]]:
    return list(PageViewRestriction.objects.values_list("pk", "page__path"))


def _subjects_by_id() -> dict:

    return {subject.pk: subject for subject in Subject.objects.all()}


def _record_querysets(ids: Iterable[int] | None = None):
    """Live records as their most specific class, with everything a document needs."""

    common = [
        "contributors",
        "subjects",
        Prefetch("tagged_keywords", queryset=RecordKeyword.objects.select_related("tag")),
    ]
    records = (
        CatalogueRecord.objects.live()
        .exclude(record_type=RecordType.CASE_REVIEW)
        .prefetch_related(*common)
        .order_by("pk")
    )
    reviews = (
        CaseReview.objects.live()
        .select_related("board")
        .prefetch_related(*common, "themes", "recommendations")
        .order_by("pk")
    )
    if ids is not None:
        ids = list(ids)
        records = records.filter(pk__in=ids)
        reviews = reviews.filter(pk__in=ids)
    return records, reviews


class DocumentBuilder:
    """Builds records' search documents, with the restrictions, subjects and section pages
    they refer to read once."""

    def __init__(self):
        self.restrictions = _restrictions()
        self.subjects = _subjects_by_id()
        # Records live directly under a section page: each parent is looked up by its path
        # once (finding the deepest record first to read every page above it cost 230 ms a
        # publish at 250,000 records).
        self.section_ids: dict[str, int] = {}

    def section_id(self, record) -> int:
        parent_path = record.path[: -Page.steplen]
        if parent_path not in self.section_ids:
            self.section_ids[parent_path] = Page.objects.values_list("pk", flat=True).get(
                path=parent_path
            )
        return self.section_ids[parent_path]

    def build(self, record) -> SearchDocument:
        """The document of one live record, loaded as its specific class with its lists."""
        covering = [pk for pk, path in self.restrictions if record.path.startswith(path)]
        return build_document(
            record,
            subjects_by_id=self.subjects,
            restriction_ids=covering,
            section_id=self.section_id(record),
        )


def indexable(record) -> bool:
    """Whether a loaded record belongs in the index: live, and a case review only as one."""
    return record.live and (
        isinstance(record, CaseReview) or record.record_type != RecordType.CASE_REVIEW
    )


def iter_documents(ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Documents for live records (all of them, or those among `ids`), in chunks."""
    builder = DocumentBuilder()
    for queryset in _record_querysets(ids):
        last_pk = 0
        while True:
            chunk = list(queryset.filter(pk__gt=last_pk)[:CHUNK])
            if not chunk:
                break
            last_pk = chunk[-1].pk
            for record in chunk:
                yield builder.build(record)


def index_records(ids: Iterable[int]) -> None:
    """Index these records if live, remove them from the index otherwise."""
    ids = {int(pk) for pk in ids}
    if ids:
        store_documents(ids, list(iter_documents(ids)))


def store_documents(ids: Iterable[int], documents: list[SearchDocument]) -> None:
    """Index these documents and remove the rest of `ids` (records no longer live)."""
    engine = get_engine()
    # The version moves on with the change, in one transaction: the one invalidation point of
    # every process's search snapshot (library.search.snapshot).
    with transaction.atomic():
        engine.index_documents(documents)
        missing = set(ids) - {document.id for document in documents}
        if missing:
            engine.delete_documents(missing)
        SearchIndexState.bump()


def rebuild_index(progress=None) -> int:
    """Replace the whole index with every live record; returns how many were indexed."""

    total = CatalogueRecord.objects.live().count()
    with transaction.atomic():
        written = get_engine().rebuild(iter_documents(), total, progress)
        SearchIndexState.bump()
    return written


def hold_back(ids: Iterable[int]) -> None:
    """Keep these records' update for later: the engine could not be reached."""
    for pk in {int(pk) for pk in ids}:
        PendingIndexUpdate.objects.update_or_create(record_id=pk)


def pending_updates() -> int:
    """How many records wait for the engine to be reachable again."""
    return PendingIndexUpdate.objects.count()


def catch_up_index() -> int:
    """Index every record held back while the engine was unreachable; returns how many.
    Raises SearchUnavailable (and keeps them) if it still cannot be reached."""
    caught_up = 0
    while ids := list(PendingIndexUpdate.objects.values_list("record_id", flat=True)[:CHUNK]):
        with transaction.atomic():
            index_records(ids)
            PendingIndexUpdate.objects.filter(record_id__in=ids).delete()
        caught_up += len(ids)
    return caught_up
