"""What the SQLite and PostgreSQL engines share: the database finds the ids that match the
words of a query; filters, restrictions, facet counts and the order of the page are worked
out on in-memory columns (library.search.docvalues)."""

import contextlib
import html
import math
import re
import threading

import numpy as np
from cachetools import LRUCache
from django.db import connection, transaction
from more_itertools import chunked

from library.identifiers import normalise_title
from library.search import ranking
from library.search.documents import SearchDocument
from library.search.docvalues import DocValues
from library.search.engines.base import EngineResult, SearchEngine
from library.search.models import SearchEntry
from library.search.params import SearchParams
from library.search.query import (
    And,
    FacetIs,
    Node,
    Not,
    Or,
    Phrase,
    Synonyms,
    Term,
    YearRange,
    positive_leaves,
    walk,
)
from library.search.snapshot import Snapshot
from library.search.thesaurus import fold
from library.visibility import RecordFilter

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
MATCH_CACHE_BYTES = 64 * 1024 * 1024
COUNTS_CACHE_ENTRIES = 2048
VISIBLE_MASKS_KEPT = 32
# Query words whose title matches bound the choice of candidates to score.
BOUND_WORDS = 3
COMMON_WORD_RARITY = math.log(1 + 20)
# How many records with the query's title (or the query less ranking.MAX_EXTRA_WORDS words
# at its start or end: an author, a year) the bound looks at.
EXACT_TITLES_KEPT = 500
# Cheap-bound points: the query is the exact title; the title less words at its start or end
# (less a point per word cut); each such word among the record's authors or board.
EXACT_POINTS = 1000.0
TRIMMED_POINTS = 500.0
EXTRA_WORD_POINTS = 100.0
# Most candidates scored, when more records than ranking.CANDIDATES have the exact title.
MAX_CANDIDATES = 300
# Spelling candidates asked of the engine; the first that finds a visible record is offered.
SUGGESTIONS = 5


class ColumnSnapshot(Snapshot):
    """One index version's columns and every cache derived from them: matches (as masks),
    the counts of recent searches, and what each audience may see. A new index version gets
    a new snapshot, so nothing here is ever invalidated piecemeal."""

    def __init__(self, version: int):
        super().__init__(version)
        self.columns = DocValues.load(version)
        # Masks, not id lists: a common word's ids take eight times the room.
        self.matches = LRUCache(MATCH_CACHE_BYTES, getsizeof=lambda mask: mask.nbytes)
        # Every page of one search shares its total and facet counts.
        self.counts = LRUCache(COUNTS_CACHE_ENTRIES)
        self.visible = LRUCache(VISIBLE_MASKS_KEPT)
        self._cache_lock = threading.Lock()
        self._recency_rank: np.ndarray | None = None

    def recency_rank(self) -> np.ndarray:
        """Each record's place in newest-first order (0 = newest), for breaking ties."""
        if self._recency_rank is None:
            order = self.columns.recency_order
            rank = np.full(self.columns.size, len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._recency_rank = _read_only(rank)
        return self._recency_rank

    def remembered(self, cache: LRUCache, key, compute):
        """`cache[key]`, computed outside the lock when missing (cachetools is not
        thread-safe; a value too big for the cache is returned but not kept)."""
        with self._cache_lock:
            value = cache.get(key)
        if value is None:
            value = compute()
            with self._cache_lock, contextlib.suppress(ValueError):
                cache[key] = value
        return value

    def visible_mask(self, record_filter: RecordFilter) -> np.ndarray:
        """Records the caller may see, shared read-only by callers with the same filter."""
        return self.remembered(
            self.visible,
            record_filter.key,
            lambda: _read_only(self.columns.visible_mask(record_filter.hidden_ids)),
        )


class DatabaseEngine(SearchEngine):
    """Shared evaluation; subclasses compile text queries and talk to their tables."""

    def compile(self, node: Node):
        """An engine expression matching `node`, or None if the engine cannot express it
        alone (years, a bare NOT); those parts are evaluated on the columns instead."""
        raise NotImplementedError

    def match_ids(self, expression) -> np.ndarray:
        """Ids of the records matching a compiled expression."""
        raise NotImplementedError

    def snippets(self, ids: list[int], leaves: list[Node]) -> dict[int, str]:
        """For each id, a fragment with the words of `leaves` between highlight markers."""
        raise NotImplementedError

    def cached_mask(self, expression, snapshot: ColumnSnapshot) -> np.ndarray:
        """The records matching an expression as a column mask, remembered per snapshot:
        paging through results, facet clicks and popular searches reuse the match instead of
        asking the database again."""
        key = (
            repr(getattr(expression, "sql", expression)),
            repr(getattr(expression, "params", None)),
        )
        return snapshot.remembered(
            snapshot.matches,
            key,
            lambda: _read_only(snapshot.columns.mask_of_ids(self.match_ids(expression))),
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
        return len(documents)

    def delete_documents(self, ids) -> None:
        with transaction.atomic():
            self._remove([int(pk) for pk in ids])

    def rebuild(self, documents, total: int, progress=None) -> int:
        """Replace everything in one transaction: searches see the old index until commit."""
        written = 0
        with transaction.atomic():
            self._clear()
            SearchEntry.objects.all().delete()
            for batch in chunked(documents, self.REBUILD_BATCH):
                self._add(batch)
                written += len(batch)
                if progress:
                    progress(len(batch))
            self._finish_rebuild()
        return written

    def _remove(self, ids: list[int]) -> None:
        if ids:
            self._delete(ids)
            SearchEntry.objects.filter(record_id__in=ids).delete()

    def _add(self, documents: list[SearchDocument]) -> None:
        self._insert(documents)
        SearchEntry.objects.bulk_create(entries_for(documents), batch_size=500)

    # Evaluation ---------------------------------------------------------------------------

    def make_snapshot(self, version: int) -> ColumnSnapshot:
        return ColumnSnapshot(version)

    def search(
        self,
        tree: Node | None,
        params: SearchParams,
        record_filter: RecordFilter,
        *,
        snapshot: Snapshot,
        section_id: int | None = None,
    ) -> EngineResult:
        """Match, filter, count facets and cut the page, all for one query."""
        columns = snapshot.columns
        mask = snapshot.visible_mask(record_filter).copy()
        if section_id is not None:
            mask &= columns.in_section(section_id)
        mask &= self.filter_mask(params, columns)
        if tree is not None:
            mask &= self.evaluate(tree, snapshot)
        counts_key = (
            record_filter.key,
            section_id,
            tree,
            tuple(sorted((name, tuple(values)) for name, values in params.filters.items())),
            params.year_from,
            params.year_to,
        )
        count, facets = snapshot.remembered(
            snapshot.counts,
            counts_key,
            lambda: (int(np.count_nonzero(mask)), columns.facet_counts(mask)),
        )
        ids = self.page_ids(tree, params, snapshot, mask, key=counts_key)
        leaves = positive_leaves(tree)
        highlights = {}
        if ids and leaves:
            highlights = {
                pk: render_highlight(text) for pk, text in self.snippets(ids, leaves).items()
            }
        return EngineResult(count=count, ids=ids, facets=facets, highlights=highlights)

    def finds_any(self, node: Node, record_filter: RecordFilter, *, snapshot: Snapshot) -> bool:
        mask = self.evaluate(node, snapshot) & snapshot.visible_mask(record_filter)
        return bool(mask.any())

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

    def evaluate(self, node: Node, snapshot: ColumnSnapshot) -> np.ndarray:
        """A mask of the records matching `node`, using one database query where possible."""
        columns = snapshot.columns
        expression = self.compile(node)
        if expression is not None:
            return self.cached_mask(expression, snapshot)
        if isinstance(node, YearRange):
            return columns.in_years(node.start, node.end)
        if isinstance(node, FacetIs):
            # The same column and test as the facet's filter (filter_mask).
            return columns.in_values(node.facet, [node.value])
        if isinstance(node, Not):
            return columns.present & ~self.evaluate(node.child, snapshot)
        if isinstance(node, And):
            mask = columns.present.copy()
            for child in node.children:
                if isinstance(child, Not):
                    mask &= ~self.evaluate(child.child, snapshot)
                else:
                    mask &= self.evaluate(child, snapshot)
            return mask
        if isinstance(node, Or):
            mask = columns.empty_mask()
            for child in node.children:
                mask |= self.evaluate(child, snapshot)
            return mask
        if isinstance(node, Synonyms):
            return self.evaluate(Or((node.original, *alternatives_as_nodes(node))), snapshot)
        return columns.empty_mask()

    def page_ids(
        self, tree, params: SearchParams, snapshot: ColumnSnapshot, mask, key=None
    ) -> list[int]:
        """The ids of the requested page, in the requested order."""
        columns = snapshot.columns
        start, end = params.offset, params.offset + params.limit
        if params.sort != "relevance" or tree is None:
            sort = "newest" if params.sort == "relevance" else params.sort
            return _ints_of(columns.page_in_order(mask, sort, start, end))
        # Relevance: the best candidates by score, then every other match newest first.
        ranked = snapshot.remembered(
            snapshot.counts,
            ("ranked", key) if key is not None else ("ranked", id(mask)),
            lambda: np.array(self.ranked_candidates(tree, snapshot, mask), dtype=np.int64),
        )
        if end <= len(ranked):
            return _ints_of(ranked[start:end])
        rest_mask = mask.copy()
        rest_mask[ranked] = False
        rest = columns.page_in_order(
            rest_mask, "newest", max(0, start - len(ranked)), end - len(ranked)
        )
        return _ints_of(np.concatenate([ranked[start:], rest]))

    # Relevance ----------------------------------------------------------------------------

    def title_expression(self, word: str):
        """An expression matching the records with `word` in their title."""
        raise NotImplementedError

    def normalise_words(self, words: list[str]) -> list[str]:
        """Words as the scorer compares them with `ranked_texts` ("" for a stop word)."""
        raise NotImplementedError

    def word_frequencies(self, words: list[str]) -> dict[str, int]:
        """How many records have each folded word in their title or subjects."""
        raise NotImplementedError

    def ranked_texts(self, ids: list[int]) -> dict[int, ranking.RankedText]:
        """The fields of these records as the scorer reads them."""
        raise NotImplementedError

    def query_words(self, tree: Node, snapshot: ColumnSnapshot) -> ranking.QueryWords:
        """The tree's words, normalised and weighted, for scoring."""
        leaves, _years = ranking.query_leaves(tree)
        originals = [word for leaf in leaves for word in _words(leaf.text)]
        forms = dict(zip(originals, self.normalise_words(originals), strict=True))
        frequencies = self.word_frequencies(sorted({_fold(word) for word in originals}))
        exact = " ".join(
            leaf.text for leaf in leaves if leaf.field is None or leaf.field == "title"
        )
        return ranking.query_words(
            tree,
            lambda word: forms[word] if word in forms else self.normalise_words([word])[0],
            frequencies,
            snapshot.columns.present_count,
            exact,
        )

    def ranked_candidates(self, tree: Node, snapshot: ColumnSnapshot, mask) -> list[int]:
        """The best ranking.CANDIDATES matches, scored and in order.

        The candidates are chosen by a cheap bound (which of the query's rarer words each
        match has in its title, and whether the whole query is its exact title, ties newest
        first), so a broad word never has every one of its matches scored."""
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return []
        query = self.query_words(tree, snapshot)
        recency = snapshot.recency_rank()
        if idx.size > ranking.CANDIDATES:
            bound = np.zeros(idx.size, dtype=np.float64)
            for word, rarity in self._bound_words(tree, query):
                expression = self.title_expression(word)
                if expression is not None:
                    bound += rarity * self.cached_mask(expression, snapshot)[idx]
            for ids, points, extra in self.exact_title_ids(query.exact):
                group = np.isin(idx, ids)
                bound[group] += points
                # "Title + surname": of the records with that title, those whose authors (or
                # board) have the words beside it, whatever its size.
                for word in extra:
                    expression = self.compile(Or((Term(word, "author"), Term(word, "board"))))
                    if expression is not None:
                        named = self.cached_mask(expression, snapshot)[idx]
                        bound[group & named] += EXTRA_WORD_POINTS
            # Every record with the query as its exact title is scored, however many share it,
            # so that a title several records have ranks them together.
            wanted = min(
                max(ranking.CANDIDATES, int(np.count_nonzero(bound >= EXACT_POINTS)) + 10),
                MAX_CANDIDATES,
                idx.size,
            )
            key = bound * (len(recency) + 1) - recency[idx]
            if wanted < idx.size:
                idx = idx[np.argpartition(-key, wanted)[:wanted]]
        ids = _ints_of(idx)
        texts = self.texts_to_score(ids)
        for pk, text in texts.items():
            text.year = int(snapshot.columns.year[pk])
        order = {pk: int(recency[pk]) for pk in ids}
        return ranking.rank(ids, texts, query, order)

    def texts_to_score(self, ids: list[int]) -> dict[int, ranking.RankedText]:
        """`ranked_texts` with each record's first contributor (in contributor order, read
        from the records: engines index every contributor together), in the engine's word
        form."""
        texts, names = self.ranked_texts_and_first_authors(ids)
        words = {pk: _words(name) for pk, name in names.items() if pk in texts}
        distinct = sorted({word for found in words.values() for word in found})
        forms = dict(zip(distinct, self.normalise_words(distinct), strict=True))
        for pk, found in words.items():
            texts[pk].first_author = [forms[word] for word in found if forms[word]]
        return texts

    def ranked_texts_and_first_authors(
        self, ids: list[int]
    ) -> tuple[dict[int, ranking.RankedText], dict[int, str]]:
        """`ranked_texts` and each record's first contributor as "family given" (an engine
        may read both in one query)."""
        texts = self.ranked_texts(ids)
        if not texts:
            return texts, {}
        found = list(texts)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT record_id, family_name, given_names FROM library_recordcontributor "  # noqa: S608 - only placeholders are formatted in
                f"WHERE record_id IN ({', '.join('%s' for _ in found)}) "
                "ORDER BY record_id, sort_order DESC, id DESC",
                found,
            )
            # Later rows win: the first contributor of each record is kept.
            names = {pk: f"{family} {given}" for pk, family, given in cursor.fetchall()}
        return texts, names

    def _bound_words(self, tree: Node, query: ranking.QueryWords) -> list[tuple[str, float]]:
        """The rarest few words the user typed (not limited to a field other than the title,
        not word beginnings), with their rarity: those whose title masks are cheap."""
        leaves, _years = ranking.query_leaves(tree)
        rarity = dict(zip(query.originals, query.rarity, strict=True))
        words = {
            word: rarity.get(word, 0.0)
            for leaf in leaves
            if leaf.field in {None, "title"} and not getattr(leaf, "prefix", False)
            for word in _words(leaf.text)
            if word in rarity
        }
        ranked = sorted(words.items(), key=lambda item: -item[1])[:BOUND_WORDS]
        # A word in more than one title or subject in twenty tells little apart and costs the
        # most to match: only the rarest word is used then.
        return ranked[:1] + [item for item in ranked[1:] if item[1] >= COMMON_WORD_RARITY]

    def exact_title_ids(self, exact: str) -> list[tuple[list[int], float, list[str]]]:
        """Records whose title is the query exactly (normalised as records store it), then
        those whose title is the query less a word or more at its start or end ("title and
        the author's surname"), each with the points it adds to the cheap bound and the words
        cut off."""
        words = normalise_title(exact).split()
        if not words:
            return []
        runs = {" ".join(words): (EXACT_POINTS, [])}
        for cut in range(1, min(len(words) - 1, ranking.MAX_EXTRA_WORDS) + 1):
            runs.setdefault(" ".join(words[:-cut]), (TRIMMED_POINTS - cut, words[-cut:]))
            runs.setdefault(" ".join(words[cut:]), (TRIMMED_POINTS - cut, words[:cut]))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT normalised_title, page_ptr_id FROM library_cataloguerecord "  # noqa: S608 - only placeholders are formatted in
                f"WHERE normalised_title IN ({', '.join('%s' for _ in runs)}) LIMIT %s",
                [*runs, EXACT_TITLES_KEPT],
            )
            found: dict[str, list[int]] = {}
            for title, pk in cursor.fetchall():
                found.setdefault(title, []).append(pk)
        return [(ids, *runs[title]) for title, ids in found.items()]

    def explain(
        self, tree: Node, record_ids: list[int], snapshot: ColumnSnapshot
    ) -> dict[int, ranking.Explanation]:
        """For staff: each record's score, part by part and word by word."""
        query = self.query_words(tree, snapshot)
        texts = self.texts_to_score(record_ids)
        explained = {}
        for pk, text in texts.items():
            if pk < snapshot.columns.size:
                text.year = int(snapshot.columns.year[pk])
            explained[pk] = ranking.score(text, query, explain=True)
        return explained


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


def _fold(word: str) -> str:
    return fold(word)


def _contains(words: list[str], run: list[str]) -> bool:
    """Whether `run` appears in `words` as consecutive words."""
    width = len(run)
    return any(words[index : index + width] == run for index in range(len(words) - width + 1))


def has_year(node: Node) -> bool:
    """Whether `node` has parts answered by the columns rather than the full-text index
    (years and facet values)."""
    return any(isinstance(part, YearRange | FacetIs) for part in walk(node))


_MARKS = re.compile(f"[{HIGHLIGHT_START}{HIGHLIGHT_END}]")


def render_highlight(text: str) -> str:
    """Escape a snippet and turn the engine's markers into <mark> elements."""
    escaped = html.escape(text)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
