"""The embedded engine on PostgreSQL: tsvector columns with GIN indexes (English stemming,
unaccent folding), pg_trgm for suggestions, and the shared in-memory facet columns."""

import logging
import re
from collections import Counter

import numpy as np
from django.db import DatabaseError, connection

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
VECTOR_TEXTS = ", ".join(f"pg.{name}::text" for name in PG_FIELDS)
# One lexeme of a tsvector's text form with its positions: 'child':1,5A
_LEXEME = re.compile(r"'((?:[^']|'')*)'(?::([\dA-D,]+))?")

# Column names and weights are constants from this module and library.search.schema.
INSERT_SQL = (  # noqa: S608
    "INSERT INTO catalogue_search_pg (record_id, {columns}, document, primary_document, "
    "title_text, body_text) VALUES (%s, {vectors}, {document}, {primary}, %s, %s)"
).format(
    columns=", ".join(PG_FIELDS),
    vectors=", ".join(f"to_tsvector('{CONFIG}', %s)" for _ in PG_FIELDS),
    document=" || ".join(
        f"setweight(to_tsvector('{CONFIG}', %s), '{WEIGHTS[name]}')" for name in PG_FIELDS
    ),
    primary=f"to_tsvector('{CONFIG}', %s) || to_tsvector('{CONFIG}', %s)",
)


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


class PostgresEngine(DatabaseEngine):
    name = "postgresql"

    def compile(self, node: Node, column: str = "document") -> Compiled | None:
        """A SQL condition matching `node`, or None when it needs the in-memory columns."""
        if has_year(node):
            return None
        if isinstance(node, Term | Phrase):
            target = FIELD_COLUMNS.get(node.field or "", column)
            query = tsquery(node)
            # A stop word ("the", "of") analyses to an empty query, which matches nothing:
            # ignore it instead, so a title typed in full still finds its record.
            return Compiled(
                f"({target} @@ {query.sql} OR numnode({query.sql}) = 0)", query.params * 2
            )
        if isinstance(node, Synonyms):
            return self._join("OR", [node.original, *alternatives_as_nodes(node)], column=column)
        if isinstance(node, Or):
            return self._join("OR", list(node.children), column=column)
        if isinstance(node, And):
            positives = [child for child in node.children if not isinstance(child, Not)]
            negatives = [child.child for child in node.children if isinstance(child, Not)]
            if not positives:
                return None
            joined = self._join("AND", positives, column=column)
            if joined is None:
                return None
            for negative in negatives:
                compiled = self.compile(negative, column)
                if compiled is None:
                    return None
                joined = Compiled(
                    f"({joined.sql}) AND NOT ({compiled.sql})", joined.params + compiled.params
                )
            return joined
        return None

    def _join(self, operator: str, nodes: list[Node], column: str) -> Compiled | None:
        parts = [self.compile(node, column) for node in nodes]
        if any(part is None for part in parts):
            return None
        return Compiled(
            f" {operator} ".join(f"({part.sql})" for part in parts),
            [param for part in parts for param in part.params],
        )

    # Relevance --------------------------------------------------------------------------

    def title_expression(self, word: str) -> Compiled:
        return Compiled(f"title @@ plainto_tsquery('{CONFIG}', %s)", [word])

    def normalise_words(self, words: list[str]) -> list[str]:
        """Each word as its lexeme in the index ("" for a stop word)."""
        if not words:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ordinality, coalesce((SELECT min(lexeme) FROM unnest("  # noqa: S608 - a constant configuration name
                f"to_tsvector('{CONFIG}', word))), '') "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, ordinality) "
                "ORDER BY ordinality",
                [list(words)],
            )
            return [row[1] for row in cursor.fetchall()]

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
        if not ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pg.record_id, pg.title_text, {VECTOR_TEXTS}, "  # noqa: S608 - constant column names
                "entry.title_sort FROM catalogue_search_pg pg "
                "LEFT JOIN catalogue_search_searchentry entry ON entry.record_id = pg.record_id "
                "WHERE pg.record_id = ANY(%s)",
                [list(ids)],
            )
            rows = cursor.fetchall()
        return {
            pk: ranking.RankedText(
                title=title or "",
                fields={
                    name: lexemes_in_order(vector)
                    for name, vector in zip(PG_FIELDS, vectors, strict=True)
                },
                title_words=len((title_sort or "").split()),
            )
            for pk, title, *vectors, title_sort in rows
        }

    def match_ids(self, expression: Compiled) -> np.ndarray:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT string_agg(record_id::text, ',') FROM catalogue_search_pg "  # noqa: S608
                    f"WHERE {expression.sql}",
                    expression.params,
                )
                joined = cursor.fetchone()[0]
        except DatabaseError:
            logger.exception("PostgreSQL rejected the search condition %r", expression.sql)
            return np.zeros(0, dtype=np.int64)
        return ids_from_text(joined or "", ",")

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
                    fields["title"],
                    fields["subject"],
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
