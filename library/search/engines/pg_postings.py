"""The PostgreSQL engine's own inverted index: for each (lexeme, field), the records that
have it, as packed id lists read straight into numpy.

A GIN index answers `document @@ 'child'` by walking one posting tree entry per match and
handing the rows back one by one (180-330 ms for a word in 235,000 of 250,000 records); here
the same answer is a few rows of packed 16-bit offsets (under 1 MB for the commonest word),
read in one query and turned into a mask in C. Adjacent pairs of lexemes are kept too, so a
phrase is the intersection of its pairs rather than a position check of every record that
has its words.

Layout: one row per (lexeme, field, block of 2**14 record ids), `ids` the sorted offsets
within the block as big-endian uint16 (what `int2send` writes, so a rebuild packs them in
SQL). Blocks keep a publish cheap: it rewrites only the rows of the block its record is in.
The indexer keeps the rows in step inside the same transaction as the tsvector rows.
"""

from collections import defaultdict

import numpy as np
from django.db import connection

from library.search.schema import PG_FIELDS

TABLE = "catalogue_search_pg_postings"
BLOCK_BITS = 14
BLOCK_MASK = (1 << BLOCK_BITS) - 1
OFFSET_TYPE = np.dtype(">u2")
# Pairs of adjacent lexemes of a field are stored under the field's code plus this.
PAIR = 16
PAIR_SEPARATOR = " "
# One writer at a time: each rewrites whole rows it read, so two at once could lose one's ids.
WRITE_LOCK = 7_318_2019

FIELD_CODES = {name: code for code, name in enumerate(PG_FIELDS)}


def _vector_rows_sql() -> str:
    """(field code, lexeme, positions, record id) of every lexeme of the chosen records."""
    values = ", ".join(f"({code}, pg.{name})" for name, code in FIELD_CODES.items())
    return (
        "SELECT f.code, u.lexeme, u.positions, pg.record_id "  # noqa: S608 - constant names
        f"FROM catalogue_search_pg pg, LATERAL (VALUES {values}) AS f(code, vector), "
        "unnest(f.vector) AS u(lexeme, positions, weights) "
        "WHERE pg.record_id = ANY(%s)"
    )


def _pairs_sql(name: str, code: int) -> str:
    """(pair, field code, record id) of the adjacent lexemes of one field of the records
    with ids from %s to %s, each record's pairs found by its own small window."""
    return (
        f"SELECT DISTINCT x.lexeme || '{PAIR_SEPARATOR}' || x.next, {code + PAIR}, "  # noqa: S608 - constant names
        "pg.record_id FROM catalogue_search_pg pg, LATERAL ("
        "SELECT u.lexeme, p.position, lead(u.lexeme) OVER w AS next, "
        "lead(p.position) OVER w AS next_position "
        f"FROM unnest(pg.{name}) AS u(lexeme, positions, weights), "
        "unnest(u.positions) AS p(position) WINDOW w AS (ORDER BY p.position)) x "
        "WHERE x.next_position = x.position + 1 AND pg.record_id BETWEEN %s AND %s"
    )


def rebuild_postings() -> None:
    """Fill the postings from every tsvector row (after a rebuild or a migration), one block
    of record ids at a time so that each sort stays small."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a constant
        cursor.execute("SELECT coalesce(max(record_id), -1) FROM catalogue_search_pg")
        top = cursor.fetchone()[0]
        for block in range((top >> BLOCK_BITS) + 1):
            bounds = [block << BLOCK_BITS, ((block + 1) << BLOCK_BITS) - 1]
            for name, code in FIELD_CODES.items():
                rows = (
                    f"SELECT u.lexeme, {code}, pg.record_id FROM catalogue_search_pg pg, "  # noqa: S608 - constants
                    f"unnest(pg.{name}) AS u(lexeme, positions, weights) "
                    "WHERE pg.record_id BETWEEN %s AND %s"
                )
                for select in (rows, _pairs_sql(name, code)):
                    cursor.execute(
                        f"INSERT INTO {TABLE} (lexeme, field, block, ids) "  # noqa: S608 - constants
                        f"SELECT lexeme, code, {block}, "
                        f"string_agg(int2send((record_id & {BLOCK_MASK})::int2), ''::bytea "
                        f"ORDER BY record_id) FROM ({select}) AS found(lexeme, code, record_id) "
                        "GROUP BY lexeme, code",
                        bounds,
                    )


def lock_for_writing() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def postings_of(ids: list[int]) -> dict[tuple[str, int, int], list[int]]:
    """(lexeme or pair, field code, block) → offsets, for the tsvector rows of these records."""
    found: dict[tuple[str, int, int], set[int]] = defaultdict(set)
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_vector_rows_sql(), [ids])
        by_position: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
        for code, lexeme, positions, record_id in cursor.fetchall():
            found[(lexeme, code, record_id >> BLOCK_BITS)].add(record_id & BLOCK_MASK)
            placed = by_position[(record_id, code)]
            for position in positions or ():
                placed[position] = lexeme
    for (record_id, code), placed in by_position.items():
        for position, lexeme in placed.items():
            following = placed.get(position + 1)
            if following is not None:
                key = (lexeme + PAIR_SEPARATOR + following, code + PAIR, record_id >> BLOCK_BITS)
                found[key].add(record_id & BLOCK_MASK)
    return {key: sorted(offsets) for key, offsets in found.items()}


def replace_postings(
    before: dict[tuple[str, int, int], list[int]], after: dict[tuple[str, int, int], list[int]]
) -> None:
    """Take the records' old postings out of their rows and put the new ones in."""
    keys = sorted(set(before) | set(after))
    if not keys:
        return
    lexemes, codes, blocks = (list(column) for column in zip(*keys, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.lexeme, p.field, p.block, p.ids FROM {TABLE} p "  # noqa: S608 - a constant
            "JOIN unnest(%s::text[], %s::int2[], %s::int4[]) AS k(lexeme, field, block) "
            "ON p.lexeme = k.lexeme AND p.field = k.field AND p.block = k.block",
            [lexemes, codes, blocks],
        )
        existing = {
            (lexeme, code, block): np.frombuffer(bytes(packed), dtype=OFFSET_TYPE)
            for lexeme, code, block, packed in cursor.fetchall()
        }
        rows = []
        for key in keys:
            offsets = existing.get(key, np.zeros(0, dtype=OFFSET_TYPE))
            gone = before.get(key)
            if gone:
                offsets = offsets[~np.isin(offsets, gone)]
            added = after.get(key)
            if added:
                offsets = np.union1d(offsets, np.asarray(added, dtype=OFFSET_TYPE))
            if offsets.size:
                rows.append((key, offsets.astype(OFFSET_TYPE).tobytes()))
        cursor.execute(
            f"DELETE FROM {TABLE} p USING unnest(%s::text[], %s::int2[], %s::int4[]) "  # noqa: S608 - a constant
            "AS k(lexeme, field, block) "
            "WHERE p.lexeme = k.lexeme AND p.field = k.field AND p.block = k.block",
            [lexemes, codes, blocks],
        )
        if rows:
            cursor.execute(
                f"INSERT INTO {TABLE} (lexeme, field, block, ids) "  # noqa: S608 - a constant
                "SELECT * FROM unnest(%s::text[], %s::int2[], %s::int4[], %s::bytea[])",
                [
                    [key[0] for key, _ in rows],
                    [key[1] for key, _ in rows],
                    [key[2] for key, _ in rows],
                    [packed for _, packed in rows],
                ],
            )


class PostingReader:
    """Reads the id lists of many lexemes, prefixes and pairs in one query."""

    def __init__(self):
        self.exact: set[tuple[str, tuple[int, ...]]] = set()
        self.prefixes: set[tuple[str, tuple[int, ...]]] = set()
        self.found: dict[tuple[str, int], list[tuple[int, bytes]]] = defaultdict(list)
        self.prefix_found: dict[tuple[str, tuple[int, ...]], list[tuple[int, bytes]]] = defaultdict(
            list
        )
        self.size = 1 << BLOCK_BITS

    def want(self, lexeme: str, codes: tuple[int, ...], prefix: bool = False) -> None:
        (self.prefixes if prefix else self.exact).add((lexeme, codes))

    def read(self) -> None:
        conditions, params = [], []
        exact_pairs = sorted({(lexeme, code) for lexeme, codes in self.exact for code in codes})
        wanted_codes: dict[str, set[int]] = defaultdict(set)
        for lexeme, code in exact_pairs:
            wanted_codes[lexeme].add(code)
        # One index condition per word (a join or IN over an array may read the whole table).
        for lexeme, codes in sorted(wanted_codes.items()):
            conditions.append("(lexeme = %s AND field = ANY(%s::int2[]))")
            params += [lexeme, sorted(codes)]
        prefixes = sorted(self.prefixes)
        for prefix, codes in prefixes:
            conditions.append("(lexeme >= %s AND lexeme < %s AND field = ANY(%s::int2[]))")
            params += [prefix, _after_prefix(prefix), list(codes)]
        if not conditions:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT lexeme, field, block, ids FROM {TABLE} WHERE "  # noqa: S608 - constant conditions
                + " OR ".join(conditions),
                params,
            )
            rows = cursor.fetchall()
        exact = set(exact_pairs)
        top = 0
        for lexeme, code, block, packed in rows:
            top = max(top, block)
            if (lexeme, code) in exact:
                self.found[(lexeme, code)].append((block, packed))
            for prefix, codes in prefixes:
                if code in codes and lexeme.startswith(prefix):
                    self.prefix_found[(prefix, codes)].append((block, packed))
        self.size = (top + 1) << BLOCK_BITS

    def mask(self, lexeme: str, codes: tuple[int, ...], prefix: bool = False) -> np.ndarray:
        """Records with `lexeme` (or a lexeme it begins) in any of the fields `codes`."""
        mask = np.zeros(self.size, dtype=bool)
        if prefix:
            parts = self.prefix_found.get((lexeme, codes), [])
        else:
            parts = [part for code in codes for part in self.found.get((lexeme, code), [])]
        for block, packed in parts:
            offsets = np.frombuffer(packed, dtype=OFFSET_TYPE).astype(np.int64)
            mask[offsets + (block << BLOCK_BITS)] = True
        return mask


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string beginning with `prefix` (the column
    compares code points, "C" collation)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
