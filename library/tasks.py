"""Background index updates: queued in the database, so a crash loses none of them."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from more_itertools import chunked

from library.imports.runs import execute_run
from library.record_details import forget_prepared_details, prepare_record_details
from library.search.engines.base import SearchUnavailable
from library.search.indexing import CHUNK, catch_up_index, hold_back, index_records

logger = logging.getLogger(__name__)
# How long an unreachable search engine is left before the held-back updates are tried again.
CATCH_UP_DELAY = datetime.timedelta(minutes=1)


@task()
def update_search_index(record_ids: list[int]) -> None:
    """Bring these records' index entries up to date (add, replace or remove), then their
    prepared API details, which change on the same occasions."""
    held = False
    # In chunks: renaming a broad subject queues more records than a query may name.
    for ids in chunked(sorted({int(pk) for pk in record_ids}), CHUNK):
        # Forgotten first: until they are prepared again, details are built on request, so a
        # renamed subject never shows its old name once the index has the new one.
        forget_prepared_details(ids)
        try:
            index_records(ids)
        except SearchUnavailable:
            # The publish stands; the index catches up when the engine is back.
            hold_back(ids)
            held = True
        prepare_record_details(ids)
    if held:
        logger.warning("Search engine unreachable: %s index updates held back.", len(record_ids))
        schedule_catch_up()
    else:
        # The engine answers: bring in anything held back while it did not.
        catch_up_search_index.call()


def schedule_catch_up() -> None:
    """Try the held-back updates again in a minute, where the task backend can defer (the
    next index update that reaches the engine, or `catch_up_search_index`, does it too)."""
    backend = catch_up_search_index.get_backend()
    if backend.supports_defer:
        catch_up_search_index.using(run_after=timezone.now() + CATCH_UP_DELAY).enqueue()


@task()
def catch_up_search_index() -> int:
    """Index the records held back while the search engine was unreachable."""
    try:
        return catch_up_index()
    except SearchUnavailable:
        schedule_catch_up()
        return 0


@task()
def run_catalogue_import(run_id: int) -> str:
    """Import an upload a librarian previewed in the admin (library.imports.runs)."""
    return execute_run(run_id)
