"""Facet and sort values of every indexed record, held in memory as numpy columns.

The embedded engines ask the database for the ids that match a query (one call, in C), then
filter, count facets, and order the page here with vectorised operations, the way search
servers use doc values: no records are loaded to answer a query. Columns belong to one index
version's snapshot (library.search.snapshot). Who may see a record is not a column: callers
pass the mask of what they may see (library.visibility).
"""

import warnings
from dataclasses import dataclass

import numpy as np
from django.db import connection

from library.search.models import SearchEntry

CODED_COLUMNS = ("record_type", "nation", "review_type", "availability")


def _concat(expression: str, separator: str = ",") -> str:
    """SQL aggregating `expression` over the rows into one separated string."""
    if connection.vendor == "postgresql":
        return f"string_agg(({expression})::text, '{separator}')"
    return f"group_concat({expression}, '{separator}')"


def ids_from_text(text: str, separator: str) -> np.ndarray:
    """Integers from one long separated string, parsed in C (no Python object per number)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return np.fromstring(text, dtype=np.int64, sep=separator)


@dataclass
class Codes:
    """A categorical column: one small integer per record and the value each code stands for."""

    values: list[str]
    column: np.ndarray

    def code_of(self, value: str) -> int | None:
        try:
            return self.values.index(value)
        except ValueError:
            return None


class DocValues:
    """Columns indexed by record id. Built by `load()`; read-only afterwards."""

    def __init__(self, version: int):
        self.version = version
        self.size = 1
        self.present = np.zeros(1, dtype=bool)
        self.year = np.zeros(1, dtype=np.int16)
        self.board = np.zeros(1, dtype=np.int64)
        self.section = np.zeros(1, dtype=np.int64)
        self.codes: dict[str, Codes] = {}
        self.subject_record_ids = np.zeros(0, dtype=np.int64)
        self.subject_of_entry = np.zeros(0, dtype=np.int32)
        self.subject_ids: list[int] = []
        self.subject_ranges: dict[int, tuple[int, int]] = {}
        self.subject_ptr = np.zeros(2, dtype=np.int64)
        self.record_subject_codes = np.zeros(0, dtype=np.int32)
        self.decade_values: list[int] = []
        self.decade_code = np.zeros(1, dtype=np.int32)
        self.board_values: list[int] = []
        self.board_code = np.zeros(1, dtype=np.int32)
        self.recency_order = np.zeros(0, dtype=np.int64)
        self.title_order = np.zeros(0, dtype=np.int64)
        self.present_count = 0
        self._total_counts: dict[str, np.ndarray] | None = None

    @classmethod
    def load(cls, version: int) -> "DocValues":
        """Read every SearchEntry into columns: each column as one long string aggregated by
        the database and parsed by numpy (the database works without holding Python's lock,
        so searches in other threads of the process keep their speed while a new snapshot is
        read), and the two precomputed orders sorted by the database."""
        table = SearchEntry._meta.db_table
        with connection.cursor() as cursor:
            # Aggregates of one query see the rows in one order, so the columns line up.
            cursor.execute(
                f"SELECT count(*), {_concat('record_id')}, {_concat('COALESCE(year, 0)')}, "  # noqa: S608 - constant names
                f"{_concat('COALESCE(board_id, 0)')}, {_concat('section_id')}, "
                f"{', '.join(_concat(name) for name in CODED_COLUMNS)}, "
                f"{_concat('subject_ids', ';')} FROM {table}"
            )
            count, *columns = cursor.fetchone()
            # The database sorts faster than Python can be handed the dates and titles.
            # Newest first: year (unknown last), then date added, then id, all descending.
            cursor.execute(
                f"SELECT record_id FROM {table} "  # noqa: S608 - a constant table name
                "ORDER BY COALESCE(year, 0) DESC, date_added DESC, record_id DESC"
            )
            recency = cursor.fetchall()
            cursor.execute(f"SELECT record_id FROM {table} ORDER BY title_sort, record_id")  # noqa: S608
            by_title = cursor.fetchall()
        values = cls(version)
        if not count:
            return values
        record_ids, years, boards, sections, *coded, subjects = columns
        ids = ids_from_text(record_ids, ",")
        values.size = int(ids.max()) + 1
        values.present = np.zeros(values.size, dtype=bool)
        values.present[ids] = True
        values.present_count = count
        values.year = np.zeros(values.size, dtype=np.int16)
        values.year[ids] = ids_from_text(years, ",")
        values.board = np.zeros(values.size, dtype=np.int64)
        values.board[ids] = ids_from_text(boards, ",")
        values.section = np.zeros(values.size, dtype=np.int64)
        values.section[ids] = ids_from_text(sections, ",")
        for name, text in zip(CODED_COLUMNS, coded, strict=True):
            distinct, codes = np.unique(np.array(text.split(",")), return_inverse=True)
            column = np.zeros(values.size, dtype=np.int16)
            column[ids] = codes
            values.codes[name] = Codes([str(value) for value in distinct], column)
        order = np.argsort(ids)
        per_record = subjects.split(";")
        values._load_subjects(ids[order], [per_record[index] for index in order])
        values.recency_order = np.fromiter((row[0] for row in recency), np.int64, count=count)
        values.title_order = np.fromiter((row[0] for row in by_title), np.int64, count=count)
        values._load_dense_codes()
        return values

    def _load_subjects(self, ids: np.ndarray, subjects: list[str]) -> None:
        """`ids` ascending, `subjects` each record's space-separated subject ids."""
        lengths = np.fromiter(
            (text.count(" ") + 1 if text else 0 for text in subjects), np.int64, count=len(ids)
        )
        flat = ids_from_text(" ".join(text for text in subjects if text), " ")
        subject_ids, codes = np.unique(flat, return_inverse=True)
        self.subject_ids = [int(pk) for pk in subject_ids]
        # Record-major: each record's subjects, for counting a small result set quickly.
        per_record = np.zeros(self.size, dtype=np.int64)
        per_record[ids] = lengths
        self.subject_ptr = np.zeros(self.size + 1, dtype=np.int64)
        np.cumsum(per_record, out=self.subject_ptr[1:])
        self.record_subject_codes = codes.astype(np.int32)
        # Subject-major: every record of each subject, for filters and dense counts.
        order = np.argsort(codes, kind="stable")
        self.subject_record_ids = np.repeat(ids, lengths)[order]
        self.subject_of_entry = self.record_subject_codes[order]
        bounds = np.searchsorted(self.subject_of_entry, np.arange(len(subject_ids) + 1))
        self.subject_ranges = {
            pk: (int(bounds[code]), int(bounds[code + 1]))
            for code, pk in enumerate(self.subject_ids)
        }

    def _load_dense_codes(self) -> None:
        decades = np.where(self.year > 0, self.year // 10 * 10, 0).astype(np.int32)
        self.decade_values = sorted({int(d) for d in np.unique(decades) if d})
        lookup = np.zeros(int(decades.max()) + 1 if decades.size else 1, dtype=np.int32)
        for code, decade in enumerate(self.decade_values, start=1):
            lookup[decade] = code
        self.decade_code = lookup[decades]
        self.board_values = [int(b) for b in np.unique(self.board) if b]
        board_lookup = {board: code for code, board in enumerate(self.board_values, start=1)}
        self.board_code = np.zeros(self.size, dtype=np.int32)
        for board, code in board_lookup.items():
            self.board_code[self.board == board] = code

    # Masks -----------------------------------------------------------------------------

    def empty_mask(self) -> np.ndarray:
        return np.zeros(self.size, dtype=bool)

    def mask_of_ids(self, ids: np.ndarray) -> np.ndarray:
        """A boolean column set for the given record ids (ids unknown here are ignored)."""
        mask = self.empty_mask()
        ids = ids[(ids >= 0) & (ids < self.size)]
        mask[ids] = True
        return mask & self.present

    def visible_mask(self, hidden_ids: tuple[int, ...]) -> np.ndarray:
        """Present records other than `hidden_ids` (library.visibility.RecordFilter)."""
        mask = self.present.copy()
        if hidden_ids:
            hidden = np.fromiter(hidden_ids, dtype=np.int64, count=len(hidden_ids))
            mask[hidden[hidden < self.size]] = False
        return mask

    def in_values(self, name: str, wanted: list[str]) -> np.ndarray:
        """Records whose coded column `name` has one of `wanted`."""
        codes = self.codes.get(name)
        if codes is None:
            return self.empty_mask()
        allowed = np.zeros(len(codes.values), dtype=bool)
        allowed[[code for value in wanted if (code := codes.code_of(value)) is not None]] = True
        return allowed[codes.column] & self.present

    def in_subjects(self, subject_ids: list[int]) -> np.ndarray:
        """Records indexed under any of the subjects (broader terms are already expanded)."""
        mask = self.empty_mask()
        for subject_id in subject_ids:
            start, end = self.subject_ranges.get(subject_id, (0, 0))
            mask[self.subject_record_ids[start:end]] = True
        return mask

    def in_boards(self, board_ids: list[int]) -> np.ndarray:
        allowed = np.zeros(len(self.board_values) + 1, dtype=bool)
        wanted = set(board_ids)
        for code, board in enumerate(self.board_values, start=1):
            allowed[code] = board in wanted
        return allowed[self.board_code]

    def in_section(self, section_id: int) -> np.ndarray:
        return self.section == section_id

    def in_years(self, start: int | None, end: int | None) -> np.ndarray:
        mask = self.present & (self.year > 0)
        if start is not None:
            mask &= self.year >= start
        if end is not None:
            mask &= self.year <= end
        return mask

    # Facets and order --------------------------------------------------------------------

    def facet_counts(self, mask: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """Exact counts of every facet value among the records in `mask`, largest first.

        `mask` holds only present records. When it holds most of them, the records outside it
        are counted instead and taken from the totals: a broad word costs what a narrow one
        does."""
        if np.count_nonzero(mask) * 2 > self.present_count:
            totals = self._totals()
            outside = self._raw_counts(self.present & ~mask)
            counts = {name: totals[name] - outside[name] for name in totals}
        else:
            counts = self._raw_counts(mask)
        facets = {
            name: _nonzero_pairs(codes.values, counts[name]) for name, codes in self.codes.items()
        }
        facets["year"] = [
            (str(decade), int(counts["year"][code]))
            for code, decade in reversed(list(enumerate(self.decade_values, start=1)))
            if counts["year"][code]
        ]
        facets["board"] = _nonzero_pairs(
            ["", *(str(board) for board in self.board_values)], counts["board"]
        )
        facets["subject"] = _nonzero_pairs([str(pk) for pk in self.subject_ids], counts["subject"])
        return facets

    def _totals(self) -> dict[str, np.ndarray]:
        """Counts over every present record, worked out once per snapshot."""
        if self._total_counts is None:
            self._total_counts = self._raw_counts(self.present)
        return self._total_counts

    def _raw_counts(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        """Per-code counts of every facet among the records in `mask`."""
        selected = np.flatnonzero(mask)
        counts = {
            name: np.bincount(codes.column[selected], minlength=len(codes.values))
            for name, codes in self.codes.items()
        }
        counts["year"] = np.bincount(
            self.decade_code[selected], minlength=len(self.decade_values) + 1
        )
        counts["board"] = np.bincount(
            self.board_code[selected], minlength=len(self.board_values) + 1
        )
        counts["subject"] = self._subject_counts(mask, selected)
        return counts

    def _subject_counts(self, mask: np.ndarray, selected: np.ndarray) -> np.ndarray:
        if not self.subject_ids:
            return np.zeros(0, dtype=np.int64)
        starts = self.subject_ptr[selected]
        lengths = self.subject_ptr[selected + 1] - starts
        total = int(lengths.sum())
        if total * 2 > len(self.subject_record_ids):
            # Most records match: one pass over every (subject, record) pair is cheaper.
            codes = self.subject_of_entry[mask[self.subject_record_ids]]
        else:
            offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            codes = self.record_subject_codes[np.arange(total) + offsets]
        return np.bincount(codes, minlength=len(self.subject_ids))

    def page_in_order(self, mask: np.ndarray, sort: str, start: int, end: int) -> np.ndarray:
        """Ids at positions `start` to `end` among the records in `mask`, in the order of
        `sort` (newest, oldest or title). Scans the precomputed order in growing chunks, so
        the first pages of a broad match touch only the first few thousand records."""
        order = self.title_order if sort == "title" else self.recency_order
        if sort == "oldest":
            order = order[::-1]
        found: list[np.ndarray] = []
        found_count, position, chunk = 0, 0, max(4096, end * 4)
        while position < len(order) and found_count < end:
            part = order[position : position + chunk]
            hits = part[mask[part]]
            found.append(hits)
            found_count += len(hits)
            position += chunk
            chunk *= 2
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(found)[start:end]


def _nonzero_pairs(values: list[str], counts: np.ndarray) -> list[tuple[str, int]]:
    return _sorted_pairs(
        (value, int(count)) for value, count in zip(values, counts, strict=False) if count and value
    )


def _sorted_pairs(pairs) -> list[tuple[str, int]]:
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
