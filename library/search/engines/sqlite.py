"""The embedded default: SQLite FTS5 (porter stemming, accent folding) and doc values."""

import difflib
import logging
import re
from dataclasses import dataclass

import numpy as np
from django.db import DatabaseError, connection

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
from library.search.query import And, Node, Not, Or, Phrase, Synonyms, Term
from library.search.schema import SQLITE_FTS_COLUMNS

logger = logging.getLogger(__name__)

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
# Column names are constants from library.search.schema.
INSERT_SQL = "INSERT INTO catalogue_search_fts(rowid, {}) VALUES (?, {})".format(  # noqa: S608
    ", ".join(SQLITE_FTS_COLUMNS), ", ".join("?" for _ in SQLITE_FTS_COLUMNS)
)
# Snippets come from the abstract and notes: the title is already on the result.
BODY_COLUMN = SQLITE_FTS_COLUMNS.index("body")
_NON_WORD = re.compile(r"\W+")


def quote(text: str) -> str:
    """An FTS5 string literal: the text is searched as words, never as syntax."""
    return '"' + text.replace('"', '""') + '"'


def identifier_text(text: str) -> str:
    """ISBNs are indexed without hyphens; let a typed 978-1-… match them."""
    return _NON_WORD.sub("", text) if re.fullmatch(r"[\d\-\sXx]+", text) else text


@dataclass(frozen=True)
class PrimaryMatch:
    """An FTS5 expression for the title-and-subject table rather than the main one."""

    expression: str


class SqliteEngine(DatabaseEngine):
    name = "sqlite"

    # Compiling --------------------------------------------------------------------------

    def compile(self, node: Node) -> str | None:
        """An FTS5 MATCH expression for `node`, or None when FTS5 cannot express it alone."""
        if has_year(node):
            return None
        if isinstance(node, Term | Phrase):
            text = identifier_text(node.text) if node.field in {"isbn", "doi"} else node.text
            expression = quote(text) + (" *" if isinstance(node, Term) and node.prefix else "")
            column = FIELD_COLUMNS.get(node.field or "")
            return f"{column} : {expression}" if column else expression
        if isinstance(node, Synonyms):
            parts = [self.compile(node.original)]
            parts.extend(self.compile(alt) for alt in alternatives_as_nodes(node))
            return "(" + " OR ".join(f"({part})" for part in parts) + ")"
        if isinstance(node, Or):
            parts = [self.compile(child) for child in node.children]
            if any(part is None for part in parts):
                return None
            return "(" + " OR ".join(f"({part})" for part in parts) + ")"
        if isinstance(node, And):
            positives = [child for child in node.children if not isinstance(child, Not)]
            negatives = [child.child for child in node.children if isinstance(child, Not)]
            if not positives:
                return None
            parts = [self.compile(child) for child in (*positives, *negatives)]
            if any(part is None for part in parts):
                return None
            expression = "(" + " AND ".join(f"({p})" for p in parts[: len(positives)]) + ")"
            for part in parts[len(positives) :]:
                expression = f"({expression} NOT ({part}))"
            return expression
        return None

    def primary(self, leaves: list[Node]) -> "PrimaryMatch | None":
        expressions = [self.compile(leaf) for leaf in leaves]
        expressions = [expression for expression in expressions if expression]
        if not expressions:
            return None
        return PrimaryMatch(" OR ".join(f"({e})" for e in expressions))

    # Querying ---------------------------------------------------------------------------

    def match_ids(self, expression: "str | PrimaryMatch") -> np.ndarray:
        """Ids of records matching an FTS5 expression, fetched as one string and parsed in C."""
        table = "catalogue_search_fts"
        if isinstance(expression, PrimaryMatch):
            table, expression = "catalogue_search_primary", expression.expression
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH %s",  # noqa: S608 - a constant
                    [expression],
                )
                joined = cursor.fetchone()[0]
        except DatabaseError:
            # The parser quotes every word, so this is a defect, not user error: log it and
            # answer with no matches rather than a server error.
            logger.exception("FTS5 rejected the expression %r", expression)
            return np.zeros(0, dtype=np.int64)
        return ids_from_text(joined or "", ",")

    def snippets(self, ids: list[int], leaves: list[Node]) -> dict[int, str]:
        expression = self.compile(Or(tuple(leaves)) if len(leaves) > 1 else leaves[0])
        placeholders = ", ".join("%s" for _ in ids)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid, snippet(catalogue_search_fts, %s, %s, %s, '…', 24) "  # noqa: S608 - only placeholders are formatted in
                    "FROM catalogue_search_fts WHERE catalogue_search_fts MATCH %s "
                    f"AND rowid IN ({placeholders})",
                    [BODY_COLUMN, HIGHLIGHT_START, HIGHLIGHT_END, expression, *ids],
                )
                rows = cursor.fetchall()
        except DatabaseError:
            logger.exception("FTS5 could not highlight %r", expression)
            return {}
        return {pk: text for pk, text in rows if text}

    def suggest(self, text: str) -> list[str]:
        word = text.casefold()
        if not word:
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT doc FROM catalogue_search_spell_vocab WHERE term = %s", [word])
            if cursor.fetchone():
                return []
            cursor.execute(
                "SELECT term FROM catalogue_search_spell_vocab WHERE term >= %s AND term < %s "
                "AND doc > 0",
                [word[0], chr(ord(word[0]) + 1)],
            )
            candidates = [row[0] for row in cursor.fetchall() if abs(len(row[0]) - len(word)) <= 2]
        return difflib.get_close_matches(word, candidates, n=SUGGESTIONS, cutoff=0.75)

    # Writing ----------------------------------------------------------------------------

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_search_fts")
            cursor.execute("DELETE FROM catalogue_search_spell")
            cursor.execute("DELETE FROM catalogue_search_primary")

    def _finish_rebuild(self) -> None:
        with connection.cursor() as cursor:
            for table in ("catalogue_search_fts", "catalogue_search_primary"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608

    def _delete(self, ids: list[int]) -> None:
        rows = [(pk,) for pk in ids]
        raw = raw_connection()
        raw.executemany("DELETE FROM catalogue_search_fts WHERE rowid = ?", rows)
        raw.executemany("DELETE FROM catalogue_search_spell WHERE rowid = ?", rows)
        raw.executemany("DELETE FROM catalogue_search_primary WHERE rowid = ?", rows)

    def _insert(self, documents: list[SearchDocument]) -> None:
        raw = raw_connection()
        raw.executemany(
            INSERT_SQL,
            [
                (doc.id, *(doc.text_fields()[name] for name in SQLITE_FTS_COLUMNS))
                for doc in documents
            ],
        )
        raw.executemany(
            "INSERT INTO catalogue_search_primary(rowid, title, subject) VALUES (?, ?, ?)",
            [(doc.id, doc.title, doc.text_fields()["subject"]) for doc in documents],
        )
        raw.executemany(
            "INSERT INTO catalogue_search_spell(rowid, words) VALUES (?, ?)",
            [(doc.id, doc.title + " " + " ".join(doc.subjects)) for doc in documents],
        )


def raw_connection():
    """The sqlite3 connection under Django's, for executemany at full speed."""
    connection.ensure_connection()
    return connection.connection
