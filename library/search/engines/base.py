"""The contract every search engine meets."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from library.search.documents import SearchDocument
from library.search.params import SearchParams
from library.search.query import Node
from library.search.snapshot import Snapshot, SnapshotHolder
from library.visibility import RecordFilter


class SearchUnavailable(Exception):
    """The search engine cannot be reached; the message is a sentence for the user."""


@dataclass
class EngineResult:
    """Raw engine output: ordered ids for the page, the total, facet counts and snippets.

    `facets` maps a facet name to (value, count) pairs; values are codes (record type
    slug, subject id as a string, decade such as "2010", nation slug, board id ...).
    """

    count: int
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    highlights: dict[int, str] = field(default_factory=dict)


class SearchEngine:
    """Index documents and answer queries. Subclasses implement every method that raises.

    One instance per process (library.search.engines.get_engine), holding the snapshot of the
    index version it last served (library.search.snapshot)."""

    name = "base"

    def __init__(self, *, snapshot_wait: float | None = None):
        self.snapshots = SnapshotHolder(self.make_snapshot, snapshot_wait)

    def make_snapshot(self, version: int) -> Snapshot:
        """Everything searches read for index version `version`, besides the engine itself."""
        return Snapshot(version)

    def snapshot(self) -> Snapshot:
        """The snapshot to answer the next search from (see SnapshotHolder)."""
        return self.snapshots.current()

    def search(
        self,
        tree: Node | None,
        params: SearchParams,
        record_filter: RecordFilter,
        *,
        snapshot: Snapshot,
        section_id: int | None = None,
    ) -> EngineResult:
        """Run a parsed query with the filters, sort and page in `params`, leaving out every
        record `record_filter` hides, from the counts and facets as well as the page."""
        raise NotImplementedError

    def finds_any(self, node: Node, record_filter: RecordFilter, *, snapshot: Snapshot) -> bool:
        """Whether `node` matches at least one record the filter leaves visible."""
        raise NotImplementedError

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents; return how many were written."""
        raise NotImplementedError

    def delete_documents(self, ids: Iterable[int]) -> None:
        """Remove documents by record id (missing ids are ignored)."""
        raise NotImplementedError

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress=None) -> int:
        """Replace the whole index with `documents`, without a window where search is empty."""
        raise NotImplementedError

    def suggest(self, text: str) -> list[str]:
        """Indexed words close to `text`, nearest first (none when `text` itself is indexed).

        Taken from every record indexed: the caller keeps only those that find a record it
        may see (`finds_any`), so a restricted record's words are never offered."""
        raise NotImplementedError
