"""What a search reads besides the engine's own match, one copy per index version.

A snapshot holds the thesaurus, the facet labels and, for the embedded engines, the in-memory
columns with every cache derived from them. Everything in it follows the index version
(`SearchIndexState`), the one invalidation point: indexing a record, removing one, renaming a
subject or board, or saving a thesaurus term moves the version on, in every process.

When the version moves on, the next search starts building the new snapshot in a background
thread and keeps answering from the old one, waiting at most `SNAPSHOT_WAIT` seconds for it,
then swaps: a publish never stalls search. An old snapshot never shows what a caller may not
see, because visibility is not part of it (library.visibility is read at every search).
"""

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import get_language

from library.models.records import Availability, RecordType, ReviewType
from library.models.snippets import Board, Nation, Subject
from library.search.models import SearchIndexState
from library.search.thesaurus import load_synonym_groups

logger = logging.getLogger(__name__)
BACKGROUND_NICENESS = 19


@dataclass
class FacetLabels:
    """Labels for facet values: subjects (id → slug, name), boards and the coded choices."""

    subjects: dict[str, tuple[str, str]]
    choices: dict[str, dict[str, str]]


def read_facet_labels() -> FacetLabels:
    """Every facet label in the active language."""

    return FacetLabels(
        subjects={
            str(pk): (slug, name)
            for pk, slug, name in Subject.objects.values_list("pk", "slug", "name")
        },
        choices={
            "record_type": {value: str(label) for value, label in RecordType.choices},
            "nation": {value: str(label) for value, label in Nation.choices},
            "review_type": {value: str(label) for value, label in ReviewType.choices},
            "availability": {value: str(label) for value, label in Availability.choices},
            "board": {str(pk): name for pk, name in Board.objects.values_list("pk", "name")},
        },
    )


class Snapshot:
    """The thesaurus and labels of one index version; engines with columns extend it."""

    def __init__(self, version: int):
        self.version = version
        self.synonyms = load_synonym_groups()
        self._labels: dict[str, FacetLabels] = {}
        self._lock = threading.Lock()

    def labels(self) -> FacetLabels:
        """Facet labels in the active language, read once per language."""
        language = get_language() or ""
        labels = self._labels.get(language)
        if labels is None:
            labels = read_facet_labels()
            with self._lock:
                self._labels[language] = labels
        return labels


class SnapshotHolder:
    """The current snapshot of one engine in this process, replaced when the index changes.

    `wait` is how long a search waits for a new snapshot before answering from the old one;
    None builds it in the searching thread (tests, whose uncommitted data other threads
    cannot see)."""

    def __init__(self, build: Callable[[int], Snapshot], wait: float | None):
        self.build = build
        self.wait = wait
        self._current: Snapshot | None = None
        self._building: threading.Thread | None = None
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        """The snapshot for the index version now, or the previous one while it is built."""
        version = SearchIndexState.current()
        snapshot = self._current
        if snapshot is not None and snapshot.version == version:
            return snapshot
        if snapshot is None or self.wait is None:
            with self._lock:
                if self._current is None or self._current.version != version:
                    self._current = self.build(version)
                return self._current
        builder = self._start(version)
        builder.join(self.wait)
        return self._current

    def _start(self, version: int) -> threading.Thread:
        with self._lock:
            if self._building is None:
                self._building = threading.Thread(
                    target=self._build_in_background,
                    args=(version,),
                    name=f"search-snapshot-{version}",
                    daemon=True,
                )
                self._building.start()
            return self._building

    def _build_in_background(self, version: int) -> None:
        # The lowest scheduling priority for this thread alone (Linux threads are tasks): the
        # build takes whatever CPU the searches leave, instead of sharing it with them.
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
        try:
            snapshot = self.build(version)
            with self._lock:
                self._current = snapshot
        except Exception:
            # The old snapshot keeps serving; the next search tries again.
            logger.exception("Building the search snapshot for index version %s failed", version)
        finally:
            connection.close()
            with self._lock:
                self._building = None

    def forget(self) -> None:
        """Drop the snapshot (the next search builds one in its own thread)."""
        with self._lock:
            self._current = None
