"""The contract every search engine meets."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from library.search.documents import SearchDocument
from library.search.params import SearchParams
from library.search.query import Node
from library.visibility import Audience


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
    suggestion: str = ""
    # The index version the answer came from, when the engine keeps one (labels for the
    # facet values are cached per version).
    version: int | None = None


class SearchEngine:
    """Index documents and answer queries. Subclasses implement every method."""

    name = "base"

    def search(
        self,
        tree: Node | None,
        params: SearchParams,
        audience: Audience,
        *,
        section_id: int | None = None,
    ) -> EngineResult:
        """Run a parsed query with the filters, sort and page in `params`."""
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

    def suggest(self, text: str) -> str:
        """A spelling suggestion for `text` from the indexed vocabulary, or ""."""
        raise NotImplementedError
