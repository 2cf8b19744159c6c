"""The embedded engine on PostgreSQL: tsvector columns (English stemming, unaccent folding)
with their own postings for matching (library.search.engines.pg_postings), pg_trgm for
suggestions, and the shared in-memory facet columns."""

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np
from cachetools import LRUCache
from django.db import DatabaseError, connection, transaction

from library.search import ranking
from library.search.documents import SearchDocument
from library.search.docvalues import ids_from_text
from library.search.engines.database import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    SUGGESTIONS,
    DatabaseEngine,
    alternatives_as_nodes,
    has_year,
)
from library.search.engines.pg_postings import (
    FIELD_CODES,
    PAIR,
    PAIR_SEPARATOR,
    PostingReader,
    lock_for_writing,
    postings_of,
    rebuild_postings,
    replace_postings,
)
from library.search.engines.sqlite import identifier_text
from library.search.query import And, Node, Not, Or, Phrase, Synonyms, Term
from library.search.schema import PG_FIELDS
from library.search.thesaurus import fold

logger = logging.getLogger(__name__)

CONFIG = "shelfmark_english"
FIELD_COLUMNS = {
    "title": "title",
    "author": "author",
    "subject": "subject",
    "keyword": "keyword",
    "publisher": "publisher",
    "board": "board",
    "isbn": "identifier",
    "doi": "identifier",
}
WEIGHTS = {
    "title": "A",
    "subject": "A",
    "author": "B",
    "keyword": "B",
    "board": "B",
    "publisher": "C",
    "identifier": "C",
    "body": "D",
}
_PREFIX_WORD = re.compile(r"\W+", re.UNICODE)
_WORDS = re.compile(r"\w{2,}", re.UNICODE)
# The title's tsvector as text (its positions give the word order the scorer needs); the
# other fields as arrays of their lexemes, which psycopg parses in C.
VECTOR_TEXTS = ", ".join(
    f"pg.{name}::text" if name == "title" else f"tsvector_to_array(pg.{name})" for name in PG_FIELDS
)
# One lexeme of a tsvector's text form with its positions: 'child':1,5A
_LEXEME = re.compile(r"'((?:[^']|'')*)'(?::([\dA-D,]+))?")

# Column names and weights are constants from this module and library.search.schema.
INSERT_SQL = (  # noqa: S608
    "INSERT INTO catalogue_search_pg (record_id, {columns}, document, "
    "title_text, body_text) VALUES (%s, {vectors}, {document}, %s, %s)"
).format(
    columns=", ".join(PG_FIELDS),
    vectors=", ".join(f"to_tsvector('{CONFIG}', %s)" for _ in PG_FIELDS),
    document=" || ".join(
        f"setweight(to_tsvector('{CONFIG}', %s), '{WEIGHTS[name]}')" for name in PG_FIELDS
    ),
)
# What a search reads besides the postings: analysed after a rebuild.
ANALYZED_TABLES = (
    "catalogue_search_pg",
    "catalogue_search_pg_postings",
    "catalogue_search_pg_words",
    "catalogue_search_searchentry",
    "library_cataloguerecord",
    "library_recordcontributor",
    "wagtailcore_page",
)
# Parsed tsqueries kept per process (the text search configuration never changes).
PARSED_KEPT = 4096


class Compiled:
    """A SQL boolean condition over catalogue_search_pg with its parameters."""

    def __init__(self, sql: str, params: list):
        self.sql = sql
        self.params = params


def tsquery(node: Term | Phrase) -> Compiled:
    """The tsquery for one word, prefix or phrase."""
    text = identifier_text(node.text) if node.field in {"isbn", "doi"} else node.text
    if isinstance(node, Term) and node.prefix:
        words = [word for word in _PREFIX_WORD.split(text) if word]
        if words:
            # Only word characters reach to_tsquery, so its syntax cannot be injected.
            query = " & ".join(words[:-1] + [words[-1] + ":*"])
            return Compiled(f"to_tsquery('{CONFIG}', %s)", [query])
    if isinstance(node, Phrase):
        return Compiled(f"phraseto_tsquery('{CONFIG}', %s)", [text])
    return Compiled(f"plainto_tsquery('{CONFIG}', %s)", [text])


@dataclass(frozen=True)
class Match:
    """One word, prefix or phrase (its tsquery) in one column: the postings answer it."""

    tsquery_sql: str  # the function making the tsquery from `text`
    text: str
    column: str

    @property
    def codes(self) -> tuple[int, ...]:
        if self.column == "document":
            return tuple(FIELD_CODES.values())
        return (FIELD_CODES[self.column],)


@dataclass(frozen=True)
class Every:
    """Records matching every child."""

    children: tuple


@dataclass(frozen=True)
class Either:
    """Records matching at least one child."""

    children: tuple


@dataclass(frozen=True)
class Without:
    """Records matching `kept` and none of `left_out`."""

    kept: object
    left_out: tuple


def match_of(node: Term | Phrase, column: str) -> Match:
    query = tsquery(node)
    return Match(query.sql, query.params[0], FIELD_COLUMNS.get(node.field or "", column))


def _leaves(expression) -> list[Match]:
    if isinstance(expression, Match):
        return [expression]
    if isinstance(expression, Without):
        parts = [expression.kept, *expression.left_out]
    else:
        parts = list(expression.children)
    return [leaf for part in parts for leaf in _leaves(part)]


# One operand or operator of a tsquery's text form.
_TSQUERY_TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(:\*)?|(&)|<(-|\d+)>)")


@dataclass(frozen=True)
class Lexemes:
    """What a leaf's tsquery asks for: `words` all present (each maybe a prefix) or, for a
    phrase, `words` in order with each word's distance from the one before."""

    words: tuple[tuple[str, bool], ...]
    distances: tuple[int, ...] = ()
    phrase: bool = False


def parse_tsquery(text: str) -> Lexemes | None:
    """The lexemes of a plainto/phraseto/to_tsquery result; None for any other shape (the
    leaf is then matched by the GIN index instead)."""
    words, distances, operators, position = [], [], set(), 0
    while position < len(text):
        token = _TSQUERY_TOKEN.match(text, position)
        if token is None or token.end() == position:
            if text[position:].strip():
                return None
            break
        position = token.end()
        lexeme, star, both, distance = token.groups()
        if lexeme is not None:
            words.append((lexeme.replace("''", "'"), bool(star)))
        elif both:
            operators.add("&")
        else:
            operators.add("<>")
            distances.append(1 if distance == "-" else int(distance))
    if len(operators) > 1:
        return None
    if "<>" in operators:
        if any(prefix for _word, prefix in words) or len(distances) != len(words) - 1:
            return None
        return Lexemes(tuple(words), tuple(distances), phrase=True)
    return Lexemes(tuple(words))


class PostgresEngine(DatabaseEngine):
    name = "postgresql"

    def __init__(self, **options):
        super().__init__(**options)
        self._parsed: LRUCache = LRUCache(PARSED_KEPT)
        self._parsed_lock = threading.Lock()

    def compile(self, node: Node, column: str = "document"):
        """A postings expression matching `node`, or None when it needs the in-memory
        columns (years, facet values, a bare NOT)."""
        if has_year(node):
            return None
        if isinstance(node, Term | Phrase):
            return match_of(node, column)
        if isinstance(node, Synonyms):
            return self._join(Either, [node.original, *alternatives_as_nodes(node)], column)
        if isinstance(node, Or):
            return self._join(Either, list(node.children), column)
        if isinstance(node, And):
            positives = [child for child in node.children if not isinstance(child, Not)]
            negatives = [child.child for child in node.children if isinstance(child, Not)]
            if not positives:
                return None
            joined = self._join(Every, positives, column)
            if joined is None or not negatives:
                return joined
            left_out = [self.compile(negative, column) for negative in negatives]
            if any(part is None for part in left_out):
                return None
            return Without(joined, tuple(left_out))
        return None

    def _join(self, kind, nodes: list[Node], column: str):
        parts = [self.compile(node, column) for node in nodes]
        if any(part is None for part in parts):
            return None
        return parts[0] if len(parts) == 1 else kind(tuple(parts))

    def match_ids(self, expression) -> np.ndarray:
        """Ids of the records matching a postings expression: the tsqueries of its leaves
        are made by PostgreSQL (so words stem and fold as the index does), their postings
        read in one query and combined as masks; phrases the pairs cannot settle alone are
        checked with the tsquery on those candidates only."""
        try:
            leaves = _leaves(expression)
            lexemes = self._lexemes(leaves)
            reader = PostingReader()
            for leaf in leaves:
                self._want(reader, leaf, lexemes[leaf])
            reader.read()
            if any(found is not None and not found.words for found in lexemes.values()):
                reader.size = max(reader.size, self._top_id() + 1)
            mask = self._evaluate(expression, reader, lexemes)
        except DatabaseError:
            logger.exception("PostgreSQL could not match %r", expression)
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(mask)

    def _lexemes(self, leaves: list[Match]) -> dict[Match, "Lexemes | None"]:
        """Each leaf's tsquery, parsed (remembered: the configuration never changes)."""
        with self._parsed_lock:
            known = {leaf: self._parsed.get((leaf.tsquery_sql, leaf.text)) for leaf in leaves}
        missing = sorted(
            {(leaf.tsquery_sql, leaf.text) for leaf, value in known.items() if value is None}
        )
        if missing:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT ARRAY["  # noqa: S608 - the tsquery functions are constants
                    + ", ".join(f"coalesce(({sql})::text, '')" for sql, _text in missing)
                    + "]",
                    [text for _sql, text in missing],
                )
                texts = cursor.fetchone()[0]
            with self._parsed_lock:
                for key, text in zip(missing, texts, strict=True):
                    self._parsed[key] = (parse_tsquery(text),)
                known = {leaf: self._parsed.get((leaf.tsquery_sql, leaf.text)) for leaf in leaves}
        return {leaf: value[0] for leaf, value in known.items()}

    def _want(self, reader: PostingReader, leaf: Match, lexemes: "Lexemes | None") -> None:
        if lexemes is None:
            return
        if lexemes.phrase:
            pair_codes = tuple(code + PAIR for code in leaf.codes)
            for index, distance in enumerate(lexemes.distances):
                if distance == 1:
                    first, second = lexemes.words[index][0], lexemes.words[index + 1][0]
                    reader.want(first + PAIR_SEPARATOR + second, pair_codes)
        for word, prefix in lexemes.words:
            reader.want(word, leaf.codes, prefix)

    def _evaluate(self, expression, reader: PostingReader, lexemes) -> np.ndarray:
        if isinstance(expression, Match):
            return self._leaf_mask(expression, reader, lexemes[expression])
        if isinstance(expression, Without):
            mask = self._evaluate(expression.kept, reader, lexemes)
            for part in expression.left_out:
                mask &= ~self._evaluate(part, reader, lexemes)
            return mask
        masks = [self._evaluate(child, reader, lexemes) for child in expression.children]
        mask = masks[0]
        for other in masks[1:]:
            if isinstance(expression, Every):
                mask &= other
            else:
                mask |= other
        return mask

    def _leaf_mask(self, leaf: Match, reader: PostingReader, lexemes: "Lexemes | None"):
        if lexemes is None:
            return _mask_of(self._gin_ids(leaf), reader.size)
        if not lexemes.words:
            # A stop word ("the", "of") analyses to an empty query: it is ignored (matches
            # every record), so a title typed in full still finds its record.
            return np.ones(reader.size, dtype=bool)
        mask = np.ones(reader.size, dtype=bool)
        if lexemes.phrase:
            pair_codes = tuple(code + PAIR for code in leaf.codes)
            for index, distance in enumerate(lexemes.distances):
                if distance == 1:
                    first, second = lexemes.words[index][0], lexemes.words[index + 1][0]
                    mask &= reader.mask(first + PAIR_SEPARATOR + second, pair_codes)
        for word, prefix in lexemes.words:
            mask &= reader.mask(word, leaf.codes, prefix)
        if lexemes.phrase and set(lexemes.distances) != {1}:
            # Words with a stop word between them have no pair: the tsquery decides. (A longer
            # phrase is the chain of its pairs; checking each of its candidates' positions
            # cost 850 ms for "serious case review" at 250,000 records.)
            candidates = np.flatnonzero(mask)
            mask = _mask_of(self._gin_ids(leaf, candidates), reader.size)
        return mask

    def _top_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(record_id), 0) FROM catalogue_search_pg")
            return int(cursor.fetchone()[0])

    def _gin_ids(self, leaf: Match, among: np.ndarray | None = None) -> np.ndarray:
        """Ids matching a leaf's tsquery in its column, among the candidates when given."""
        if among is not None and not among.size:
            return among
        condition, params = f"{leaf.column} @@ {leaf.tsquery_sql}", [leaf.text]
        if among is not None:
            condition += " AND record_id = ANY(%s::bigint[])"
            params.append("{" + ",".join(map(str, among.tolist())) + "}")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(record_id::text, ',') FROM catalogue_search_pg "  # noqa: S608 - constant columns and functions
                f"WHERE {condition}",
                params,
            )
            joined = cursor.fetchone()[0]
        return ids_from_text(joined or "", ",")

    # Relevance --------------------------------------------------------------------------

    def title_expression(self, word: str) -> Match:
        return match_of(Term(word), "title")

    def normalise_words(self, words: list[str]) -> list[str]:
        """Each word as its lexeme in the index ("" for a stop word), remembered per process
        as the parsed tsqueries are (the configuration never changes)."""
        with self._parsed_lock:
            known = {word: self._parsed.get(("lexeme", word)) for word in words}
        missing = sorted({word for word, lexeme in known.items() if lexeme is None})
        if missing:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT word, coalesce((SELECT min(lexeme) FROM unnest("  # noqa: S608 - a constant configuration name
                    f"to_tsvector('{CONFIG}', word))), '') "
                    "FROM unnest(%s::text[]) AS w(word)",
                    [missing],
                )
                found = dict(cursor.fetchall())
            with self._parsed_lock:
                for word in missing:
                    self._parsed[("lexeme", word)] = found.get(word, "")
            known.update({word: found.get(word, "") for word in missing})
        return [known[word] for word in words]

    def word_frequencies(self, words: list[str]) -> dict[str, int]:
        if not words:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, docs FROM catalogue_search_pg_words WHERE word = ANY(%s)",
                [list(words)],
            )
            return dict(cursor.fetchall())

    def ranked_texts(self, ids: list[int]) -> dict[int, ranking.RankedText]:
        return self.ranked_texts_and_first_authors(ids)[0]

    def ranked_texts_and_first_authors(
        self, ids: list[int]
    ) -> tuple[dict[int, ranking.RankedText], dict[int, str]]:
        """The candidates' fields and first contributors in one query. Each first contributor
        is a lookup of its own record's rows, so the plan stays an index scan whatever the
        planner knows of the table (a list of ids against it was read as a sequential scan of
        every contributor, 50-90 ms at 250,000 records, when its statistics were missing)."""
        if not ids:
            return {}, {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pg.record_id, pg.title_text, {VECTOR_TEXTS}, "  # noqa: S608 - constant column names
                "entry.title_sort, (SELECT c.family_name || ' ' || c.given_names "
                "FROM library_recordcontributor c WHERE c.record_id = pg.record_id "
                "ORDER BY c.sort_order, c.id LIMIT 1) "
                "FROM catalogue_search_pg pg "
                "LEFT JOIN catalogue_search_searchentry entry ON entry.record_id = pg.record_id "
                "WHERE pg.record_id = ANY(%s)",
                [list(ids)],
            )
            rows = cursor.fetchall()
        texts = {
            pk: ranking.RankedText(
                title=title or "",
                fields={
                    # Only the title's order counts (phrase and closeness); the scorer reads
                    # the other fields as sets of words, so their positions are not read.
                    name: lexemes_in_order(vector) if name == "title" else vector or []
                    for name, vector in zip(PG_FIELDS, vectors, strict=True)
                },
                title_words=len((title_sort or "").split()),
            )
            for pk, title, *vectors, title_sort, _first in rows
        }
        names = {pk: first for pk, *_fields, first in rows if first is not None}
        return texts, names

    def snippets(self, ids: list[int], leaves: list[Node]) -> dict[int, str]:
        queries = [tsquery(leaf) for leaf in _plain_leaves(leaves)]
        if not queries:
            return {}
        query_sql = " || ".join(query.sql for query in queries)
        params = [param for query in queries for param in query.params]
        options = (
            f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, "
            "MaxFragments=1, FragmentDelimiter=…"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT record_id, ts_headline('{CONFIG}', body_text, {query_sql}, %s) "  # noqa: S608
                "FROM catalogue_search_pg WHERE record_id = ANY(%s)",
                [*params, options, list(ids)],
            )
            return {pk: text for pk, text in cursor.fetchall() if text and HIGHLIGHT_START in text}

    def suggest(self, text: str) -> list[str]:
        word = fold(text)
        if not word:
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM catalogue_search_pg_words WHERE word = %s", [word])
            if cursor.fetchone():
                return []
            cursor.execute(
                "SELECT word FROM catalogue_search_pg_words WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, docs DESC LIMIT %s",
                [word, word, SUGGESTIONS],
            )
            return [row[0] for row in cursor.fetchall()]

    # Writing ----------------------------------------------------------------------------

    def index_documents(self, documents) -> int:
        documents = list(documents)
        if not documents:
            return 0
        with transaction.atomic():
            lock_for_writing()
            ids = [doc.id for doc in documents]
            before = postings_of(ids)
            written = super().index_documents(documents)
            replace_postings(before, postings_of(ids))
        return written

    def delete_documents(self, ids) -> None:
        ids = [int(pk) for pk in ids]
        with transaction.atomic():
            lock_for_writing()
            before = postings_of(ids)
            super().delete_documents(ids)
            replace_postings(before, {})

    def _finish_rebuild(self) -> None:
        rebuild_postings()
        # A rebuild follows a bulk load (generated or imported records): the planner needs
        # the new tables' statistics at once, not when autovacuum next comes by (if it is on
        # at all); without them a list of ids is planned as a scan of the whole table.
        with connection.cursor() as cursor:
            for table in ANALYZED_TABLES:
                cursor.execute(f"ANALYZE {table}")

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_search_pg")
            cursor.execute("DELETE FROM catalogue_search_pg_words")

    def _delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_search_pg WHERE record_id = ANY(%s)", [ids])

    def _insert(self, documents: list[SearchDocument]) -> None:
        rows = []
        for doc in documents:
            fields = doc.text_fields()
            texts = [fields[name] for name in PG_FIELDS]
            rows.append(
                [
                    doc.id,
                    *texts,
                    *texts,
                    doc.title,
                    doc.title + " — " + doc.body,
                ]
            )
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_SQL, rows)
            words = Counter(
                word
                for doc in documents
                for word in set(_WORDS.findall(fold(doc.title + " " + " ".join(doc.subjects))))
            )
            cursor.executemany(
                "INSERT INTO catalogue_search_pg_words (word, docs) VALUES (%s, %s) "
                "ON CONFLICT (word) DO UPDATE SET docs = catalogue_search_pg_words.docs "
                "+ EXCLUDED.docs",
                sorted(words.items()),
            )


def _mask_of(ids: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(max(size, int(ids.max()) + 1 if ids.size else 0), dtype=bool)
    mask[ids] = True
    return mask


def _plain_leaves(leaves: list[Node]) -> list[Term | Phrase]:
    """The words and phrases inside leaves, synonyms included, for highlighting."""
    found: list[Term | Phrase] = []
    for leaf in leaves:
        if isinstance(leaf, Synonyms):
            found.extend(_plain_leaves([leaf.original, *alternatives_as_nodes(leaf)]))
        elif isinstance(leaf, And):
            found.extend(_plain_leaves(list(leaf.children)))
        elif isinstance(leaf, Term | Phrase):
            found.append(leaf)
    return found


def lexemes_in_order(vector: str) -> list[str]:
    """A tsvector's lexemes in word order ("" where a stop word was), from its text form."""
    placed: dict[int, str] = {}
    unplaced = []
    for lexeme, positions in _LEXEME.findall(vector or ""):
        word = lexeme.replace("''", "'")
        if not positions:
            unplaced.append(word)
            continue
        for position in positions.split(","):
            placed.setdefault(int(position.rstrip("ABCD")), word)
    if not placed:
        return unplaced
    return [placed.get(index, "") for index in range(1, max(placed) + 1)] + unplaced
