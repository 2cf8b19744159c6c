"""A publish never stalls search: the old snapshot answers while the new one is built, and the
thesaurus follows a saved subject in every process."""

import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser

from library.search import parse_search_params, search_catalogue
from library.search.engines import get_engine
from library.search.models import SearchIndexState
from library.search.snapshot import Snapshot, SnapshotHolder
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory, SubjectFactory


def titles(query: str) -> list[str]:
    results = search_catalogue(parse_search_params({"q": query}), AnonymousUser())
    return [hit.record.title for hit in results.hits]


@pytest.mark.django_db(transaction=True)
def test_searches_are_answered_from_the_old_snapshot_while_the_new_one_is_built():
    release = threading.Event()
    versions: list[int] = []

    def build(version: int) -> Snapshot:
        if versions:  # every build after the first waits until the test lets it finish
            release.wait(30)
        versions.append(version)
        return Snapshot(version)

    holder = SnapshotHolder(build, wait=0)
    first = holder.current()
    SearchIndexState.bump()  # a librarian publishes
    assert holder.current() is first  # answered at once, from the snapshot it had
    assert holder.current() is first  # and again: one build runs, not one per search
    release.set()
    deadline = time.monotonic() + 30
    while holder.current() is first and time.monotonic() < deadline:
        time.sleep(0.01)
    assert holder.current().version == SearchIndexState.current() != first.version
    assert len(versions) == 2


@pytest.mark.django_db(transaction=True)
def test_a_published_record_becomes_findable_without_a_search_waiting_for_it(settings, home_page):
    settings.SHELFMARK_SEARCH = {**settings.SHELFMARK_SEARCH, "OPTIONS": {"snapshot_wait": 0}}
    library = LibraryIndexPageFactory(parent=home_page)
    CatalogueRecordFactory(parent=library, title="Neglect in adolescence")
    assert titles("neglect") == ["Neglect in adolescence"]
    CatalogueRecordFactory(parent=library, title="Neglect of babies")
    deadline = time.monotonic() + 30
    while len(titles("neglect")) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(titles("neglect")) == ["Neglect in adolescence", "Neglect of babies"]
    assert get_engine().snapshot().version == SearchIndexState.current()


@pytest.mark.django_db
def test_a_new_thesaurus_term_expands_searches_from_the_next_one(home_page):
    library = LibraryIndexPageFactory(parent=home_page)
    CatalogueRecordFactory(parent=library, title="Child sexual exploitation: a guide")
    assert titles("CSE") == []
    SubjectFactory(name="Child sexual exploitation", use_for="CSE")
    assert titles("CSE") == ["Child sexual exploitation: a guide"]
