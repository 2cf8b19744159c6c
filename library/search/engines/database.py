"""What the SQLite and PostgreSQL engines share: the database finds the ids that match the
words of a query; filters, restrictions, facet counts and the order of the page are worked
out on in-memory columns (library.search.docvalues)."""

import html
import re
import threading
from collections import OrderedDict

import numpy as np
from django.db import transaction

from library.search.documents import SearchDocument
from library.search.docvalues import DocValues, current_docvalues
from library.search.engines.base import EngineResult, SearchEngine
from library.search.models import SearchEntry, SearchIndexState
from library.search.params import SearchParams
from library.search.query import And, Node, Not, Or, Phrase, Synonyms, Term, YearRange, walk
from library.visibility import Audience

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
MATCH_CACHE_BYTES = 64 * 1024 * 1024
COUNTS_CACHE_ENTRIES = 2048


class SearchCache:
    """A per-process LRU bounded by the total weight of its values (1 each unless `weigh`
    says otherwise). Keys include the index version, so any index change makes every entry
    unreachable."""

    def __init__(self, capacity: int, weigh=None):
        self.capacity = capacity
        self.weigh = weigh or (lambda value: 1)
        self.entries: OrderedDict = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get_or_compute(self, key, compute):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = compute()
        weight = self.weigh(value)
        with self.lock:
            if key not in self.entries and weight <= self.capacity:
                self.entries[key] = value
                self.size += weight
                while self.size > self.capacity:
                    _, evicted = self.entries.popitem(last=False)
                    self.size -= self.weigh(evicted)
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


MATCH_CACHE = SearchCache(MATCH_CACHE_BYTES, weigh=lambda mask: mask.nbytes)
# The total and facet counts of recent searches: every page of one search shares them.
COUNTS_CACHE = SearchCache(COUNTS_CACHE_ENTRIES)


class DatabaseEngine(SearchEngine):
    """Shared evaluation; subclasses compile text queries and talk to their tables."""

    def compile(self, node: Node):
        """An engine expression matching `node`, or None if the engine cannot express it
        alone (years, a bare NOT); those parts are evaluated on the columns instead."""
        raise NotImplementedError

    def match_ids(self, expression) -> np.ndarray:
        """Ids of the records matching a compiled expression."""
        raise NotImplementedError

    def primary(self, leaves: list[Node]):
        """An expression matching any of `leaves` in a title or subject, or None."""
        raise NotImplementedError

    def snippets(self, ids: list[int], leaves: list[Node]) -> dict[int, str]:
        """For each id, a fragment with the words of `leaves` between highlight markers."""
        raise NotImplementedError

    def cached_mask(self, expression, columns: DocValues) -> np.ndarray:
        """The records matching an expression as a column mask, remembered per index version:
        paging through results, facet clicks and popular searches reuse the match instead of
        asking the database again. Kept as masks (one byte per record), not id lists: a
        common word's ids take eight times the room, and fewer of them fit the cache."""
        key = (
            self.name,
            columns.version,
            repr(getattr(expression, "sql", expression)),
            repr(getattr(expression, "params", None)),
        )
        return MATCH_CACHE.get_or_compute(
            key, lambda: _read_only(columns.mask_of_ids(self.match_ids(expression)))
        )

    # Writing: the engines' own tables through _clear/_delete/_insert, facet rows here ------

    REBUILD_BATCH = 2000

    def _clear(self) -> None:
        """Empty the engine's full-text tables."""
        raise NotImplementedError

    def _delete(self, ids: list[int]) -> None:
        """Remove these records from the engine's full-text tables."""
        raise NotImplementedError

    def _insert(self, documents: list[SearchDocument]) -> None:
        """Add these documents to the engine's full-text tables."""
        raise NotImplementedError

    def _finish_rebuild(self) -> None:
        """Anything the engine does once a rebuild has written every document."""

    def index_documents(self, documents) -> int:
        documents = list(documents)
        if not documents:
            return 0
        with transaction.atomic():
            self._remove([doc.id for doc in documents])
            self._add(documents)
            SearchIndexState.bump()
        return len(documents)

    def delete_documents(self, ids) -> None:
        with transaction.atomic():
            self._remove([int(pk) for pk in ids])
            SearchIndexState.bump()

    def rebuild(self, documents, total: int, progress=None) -> int:
        """Replace everything in one transaction: searches see the old index until commit."""
        written = 0
        with transaction.atomic():
            self._clear()
            SearchEntry.objects.all().delete()
            for batch in batched(documents, self.REBUILD_BATCH):
                self._add(batch)
                written += len(batch)
                if progress:
                    progress(len(batch))
            self._finish_rebuild()
            SearchIndexState.bump()
        return written

    def _remove(self, ids: list[int]) -> None:
        if ids:
            self._delete(ids)
            SearchEntry.objects.filter(record_id__in=ids).delete()

    def _add(self, documents: list[SearchDocument]) -> None:
        self._insert(documents)
        SearchEntry.objects.bulk_create(entries_for(documents), batch_size=500)

    # Evaluation ---------------------------------------------------------------------------

    def search(
        self,
        tree: Node | None,
        params: SearchParams,
        audience: Audience,
        *,
        section_id: int | None = None,
    ) -> EngineResult:
        """Match, filter, count facets and cut the page, all for one query."""
        columns = current_docvalues()
        mask = columns.visible_mask(audience.blocked)
        if section_id is not None:
            mask &= columns.in_section(section_id)
        mask &= self.filter_mask(params, columns)
        if tree is not None:
            mask &= self.evaluate(tree, columns)
        counts_key = (
            self.name,
            columns.version,
            audience.blocked,
            section_id,
            tree,
            tuple(sorted((name, tuple(values)) for name, values in params.filters.items())),
            params.year_from,
            params.year_to,
        )
        count, facets = COUNTS_CACHE.get_or_compute(
            counts_key, lambda: (int(np.count_nonzero(mask)), columns.facet_counts(mask))
        )
        ids = self.page_ids(tree, params, columns, mask)
        leaves = positive_leaves(tree)
        highlights = {}
        if ids and leaves:
            highlights = {
                pk: render_highlight(text) for pk, text in self.snippets(ids, leaves).items()
            }
        return EngineResult(
            count=count, ids=ids, facets=facets, highlights=highlights, version=columns.version
        )

    def filter_mask(self, params: SearchParams, columns: DocValues) -> np.ndarray:
        """Records passing every selected filter: OR within a facet, AND across facets."""
        mask = columns.present.copy()
        for name in ("record_type", "nation", "review_type", "availability"):
            if params.selected(name):
                mask &= columns.in_values(name, params.selected(name))
        if params.selected("subject"):
            mask &= columns.in_subjects(_ints(params.selected("subject")))
        if params.selected("board"):
            mask &= columns.in_boards(_ints(params.selected("board")))
        if params.year_from is not None or params.year_to is not None:
            mask &= columns.in_years(params.year_from, params.year_to)
        return mask

    def evaluate(self, node: Node, columns: DocValues) -> np.ndarray:
        """A mask of the records matching `node`, using one database query where possible."""
        expression = self.compile(node)
        if expression is not None:
            return self.cached_mask(expression, columns)
        if isinstance(node, YearRange):
            return columns.in_years(node.start, node.end)
        if isinstance(node, Not):
            return columns.present & ~self.evaluate(node.child, columns)
        if isinstance(node, And):
            mask = columns.present.copy()
            for child in node.children:
                if isinstance(child, Not):
                    mask &= ~self.evaluate(child.child, columns)
                else:
                    mask &= self.evaluate(child, columns)
            return mask
        if isinstance(node, Or):
            mask = columns.empty_mask()
            for child in node.children:
                mask |= self.evaluate(child, columns)
            return mask
        if isinstance(node, Synonyms):
            return self.evaluate(Or((node.original, *alternatives_as_nodes(node))), columns)
        return columns.empty_mask()

    def page_ids(self, tree, params: SearchParams, columns: DocValues, mask) -> list[int]:
        """The ids of the requested page, in the requested order."""
        start, end = params.offset, params.offset + params.limit
        if params.sort != "relevance" or tree is None:
            sort = "newest" if params.sort == "relevance" else params.sort
            return _ints_of(columns.page_in_order(mask, sort, start, end))
        # Relevance: records matching in the title or subjects first, newest first within.
        primary_leaves = [leaf for leaf in positive_leaves(tree) if leaf_field(leaf) is None]
        expression = self.primary(primary_leaves) if primary_leaves else None
        if expression is None:
            return _ints_of(columns.page_in_order(mask, "newest", start, end))
        primary_mask = mask & self.cached_mask(expression, columns)
        primary_count = int(np.count_nonzero(primary_mask))
        first = (
            columns.page_in_order(primary_mask, "newest", start, min(end, primary_count))
            if start < primary_count
            else np.zeros(0, dtype=np.int64)
        )
        if end <= primary_count:
            return _ints_of(first)
        rest = columns.page_in_order(
            mask & ~primary_mask, "newest", max(0, start - primary_count), end - primary_count
        )
        return _ints_of(np.concatenate([first, rest]))


def batched(items, size: int):
    """Lists of up to `size` items from any iterable."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def entries_for(documents: list[SearchDocument]) -> list[SearchEntry]:
    """Facet rows for the documents."""
    return [
        SearchEntry(
            record_id=doc.id,
            title_sort=doc.title_sort,
            year=doc.year,
            date_added=doc.date_added,
            record_type=doc.record_type,
            nation=doc.nation,
            review_type=doc.review_type,
            board_id=doc.board_id,
            availability=doc.availability,
            section_id=doc.section_id,
            subject_ids=" ".join(str(pk) for pk in doc.subject_ids),
            restriction_ids=" ".join(str(pk) for pk in doc.restriction_ids),
        )
        for doc in documents
    ]


def _read_only(mask: np.ndarray) -> np.ndarray:
    """A shared cached mask: narrowing it in place by mistake raises instead of corrupting it."""
    mask.flags.writeable = False
    return mask


def _ints_of(ids: np.ndarray) -> list[int]:
    return [int(pk) for pk in ids]


def _ints(values: list[str]) -> list[int]:
    return [int(value) for value in values if str(value).isdigit()]


def leaf_field(node: Node) -> str | None:
    if isinstance(node, Synonyms):
        return leaf_field(node.original)
    if isinstance(node, And):
        return None
    return getattr(node, "field", None)


def positive_leaves(tree: Node | None) -> list[Node]:
    """Words, phrases and synonym groups the user asked for, outside any NOT."""
    if tree is None:
        return []
    leaves: list[Node] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Term | Phrase | Synonyms):
            leaves.append(node)
        elif isinstance(node, And | Or):
            stack.extend(reversed(node.children))
    return leaves


def alternatives_as_nodes(node: Synonyms) -> list[Node]:
    """The synonym group's other terms as query nodes, without those that cannot match more.

    An alternative that contains the user's own word or phrase ("child neglect" for
    "neglect") only matches records the original matches already; asking the engine for it
    too would cost a phrase match over every record that has the word."""
    field = leaf_field(node.original)
    original = node.original
    own_words = (
        _words(original.text)
        if isinstance(original, Phrase) or (isinstance(original, Term) and not original.prefix)
        else None
    )
    return [
        Phrase(alternative, field) if " " in alternative else Term(alternative, field)
        for alternative in node.alternatives
        if not (own_words and _contains(_words(alternative), own_words))
    ]


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _contains(words: list[str], run: list[str]) -> bool:
    """Whether `run` appears in `words` as consecutive words."""
    width = len(run)
    return any(words[index : index + width] == run for index in range(len(words) - width + 1))


def has_year(node: Node) -> bool:
    return any(isinstance(part, YearRange) for part in walk(node))


_MARKS = re.compile(f"[{HIGHLIGHT_START}{HIGHLIGHT_END}]")


def render_highlight(text: str) -> str:
    """Escape a snippet and turn the engine's markers into <mark> elements."""
    escaped = html.escape(text)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
