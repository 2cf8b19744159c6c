"""Background index updates: queued in the database, so a crash loses none of them."""

from django_tasks import task
from more_itertools import chunked

from library.imports.runs import execute_run
from library.record_details import forget_prepared_details, prepare_record_details
from library.search.indexing import CHUNK, index_records


@task()
def update_search_index(record_ids: list[int]) -> None:
    """Bring these records' index entries up to date (add, replace or remove), then their
    prepared API details, which change on the same occasions."""
    # In chunks: renaming a broad subject queues more records than a query may name.
    for ids in chunked(sorted({int(pk) for pk in record_ids}), CHUNK):
        # Forgotten first: until they are prepared again, details are built on request, so a
        # renamed subject never shows its old name once the index has the new one.
        forget_prepared_details(ids)
        index_records(ids)
        prepare_record_details(ids)


@task()
def run_catalogue_import(run_id: int) -> str:
    """Import an upload a librarian previewed in the admin (library.imports.runs)."""
    return execute_run(run_id)
