"""Storage of the embedded engines: per-record facet values and the index version.

The full-text tables themselves (an FTS5 table on SQLite, tsvector columns on PostgreSQL)
are created by this app's migrations for the database in use.
"""

from django.db import models

from library.versions import VersionStamp


class SearchEntry(models.Model):
    """Facet and sort values for one indexed record, loaded into memory as columns."""

    record_id = models.BigIntegerField(primary_key=True)
    title_sort = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True)
    date_added = models.DateField()
    record_type = models.CharField(max_length=30)
    nation = models.CharField(max_length=20, blank=True)
    review_type = models.CharField(max_length=40, blank=True)
    board_id = models.BigIntegerField(null=True)
    availability = models.CharField(max_length=20)
    section_id = models.BigIntegerField()
    subject_ids = models.TextField(blank=True, help_text="Space-separated subject ids.")

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"search entry for record {self.record_id}"


class SearchIndexState(VersionStamp):
    """Moves on whenever the index does: every process builds a new search snapshot
    (library.search.snapshot)."""

    def __str__(self):
        return f"search index version {self.version}"


class PendingIndexUpdate(models.Model):
    """A record whose index update could not reach the search engine (an Elasticsearch
    cluster down): kept here, in the database, until `catch_up_index` brings it in."""

    record_id = models.BigIntegerField(primary_key=True)
    held_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pending index update"
        verbose_name_plural = "pending index updates"

    def __str__(self):
        return f"pending index update of record {self.record_id}"
