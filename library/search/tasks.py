"""Background index updates: queued in the database, so a crash loses none of them."""

from django_tasks import task

from library.search.indexing import index_records


@task()
def update_search_index(record_ids: list[int]) -> None:
    """Bring these records' index entries up to date (add, replace or remove)."""
    index_records(record_ids)
