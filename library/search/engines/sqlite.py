"""The embedded default: SQLite FTS5 (porter stemming, accent folding) and doc values."""

import difflib
import logging
import re
from dataclasses import dataclass

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
from library.search.query import And, Node, Not, Or, Phrase, Synonyms, Term
from library.search.schema import SQLITE_FTS_COLUMNS
from library.search.thesaurus import fold

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
# How the scorer reads each column (the title in order, the long body as folded text).
FIELD_READERS = {"title": ranking.text_tokens, "body": ranking.folded_text}


_TOKEN = re.compile(r"\w+|\W+")


def prefix_snippet(text: str, prefixes: list[str], width: int = 24) -> str:
    """About `width` words of `text` around the first word beginning with one of `prefixes`
    (case and accents folded, as the index folds them), each such word between highlight
    markers; "" when none does."""
    wanted = tuple(fold(prefix) for prefix in prefixes if fold(prefix))
    tokens = _TOKEN.findall(text)
    hits = [
        i for i, token in enumerate(tokens) if token[0].isalnum() and fold(token).startswith(wanted)
    ]
    if not wanted or not hits:
        return ""
    start = max(0, hits[0] - width // 2)
    end = min(len(tokens), start + width * 2)
    marked = [
        f"{HIGHLIGHT_START}{token}{HIGHLIGHT_END}" if index in hits else token
        for index, token in enumerate(tokens[start:end], start=start)
    ]
    return ("…" if start else "") + "".join(marked) + ("…" if end < len(tokens) else "")


def quote(text: str) -> str:
    """An FTS5 string literal: the text is searched as words, never as syntax."""
    return '"' + text.replace('"', '""') + '"'


def identifier_text(text: str) -> str:
    """ISBNs are indexed without hyphens; let a typed 978-1-… match them."""
    # An ISSN (eight characters) is indexed with its hyphen, as two words.
    if re.fullmatch(r"[\d\-\sXx]+", text) and len(_NON_WORD.sub("", text)) >= 10:
        return _NON_WORD.sub("", text)
    return text


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

    # Relevance --------------------------------------------------------------------------

    def title_expression(self, word: str) -> PrimaryMatch:
        return PrimaryMatch(f"title : {quote(word)}")

    def normalise_words(self, words: list[str]) -> list[str]:
        return [ranking.light_stem(fold(word)) for word in words]

    def word_frequencies(self, words: list[str]) -> dict[str, int]:
        if not words:
            return {}
        placeholders = ", ".join("%s" for _ in words)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, doc FROM catalogue_search_spell_vocab "  # noqa: S608 - only placeholders are formatted in
                f"WHERE term IN ({placeholders})",
                words,
            )
            return dict(cursor.fetchall())

    def ranked_texts(self, ids: list[int]) -> dict[int, ranking.RankedText]:
        if not ids:
            return {}
        placeholders = ", ".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT fts.rowid, {', '.join('fts.' + name for name in SQLITE_FTS_COLUMNS)}, "  # noqa: S608 - constant column names and placeholders
                "entry.title_sort FROM catalogue_search_fts fts "
                "LEFT JOIN catalogue_search_searchentry entry ON entry.record_id = fts.rowid "
                f"WHERE fts.rowid IN ({placeholders})",
                ids,
            )
            rows = cursor.fetchall()
        texts = {}
        for pk, *values, title_sort in rows:
            fields = dict(zip(SQLITE_FTS_COLUMNS, values, strict=True))
            texts[pk] = ranking.RankedText(
                title=fields["title"] or "",
                fields={
                    name: FIELD_READERS.get(name, ranking.text_words)(text)
                    for name, text in fields.items()
                },
                title_words=len((title_sort or "").split()),
            )
        return texts

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
        # FTS5 answers a word* MATCH by merging every matching term's whole list, even for
        # twenty rows (600 ms for "child*" at 250,000 records), so prefixes are marked here.
        words = [leaf for leaf in leaves if not (isinstance(leaf, Term) and leaf.prefix)]
        if not words:
            return self._prefix_snippets(ids, [leaf.text for leaf in leaves])
        expression = self.compile(Or(tuple(words)) if len(words) > 1 else words[0])
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

    def _prefix_snippets(self, ids: list[int], prefixes: list[str]) -> dict[int, str]:
        placeholders = ", ".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, body FROM catalogue_search_fts WHERE rowid IN ({placeholders})",  # noqa: S608 - only placeholders are formatted in
                ids,
            )
            rows = cursor.fetchall()
        found = {pk: prefix_snippet(body or "", prefixes) for pk, body in rows}
        return {pk: text for pk, text in found.items() if text}

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
