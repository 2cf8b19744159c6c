"""Storage of the embedded engines: per-record facet values and the index version.

The full-text tables themselves (an FTS5 table on SQLite, tsvector columns on PostgreSQL)
are created by this app's migrations for the database in use.
"""

import secrets

from django.db import connection, models


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


class SearchIndexState(models.Model):
    """A single row whose version changes whenever the index does.

    The version is random rather than a counter, so a rolled-back change can never leave a
    process holding columns for a version number that now means something else.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"search index version {self.version}"

    @classmethod
    def bump(cls) -> None:
        """Mark the index as changed: every process builds a new search snapshot."""
        version = secrets.randbits(62)
        if not cls.objects.filter(pk=1).update(version=version):
            cls.objects.update_or_create(pk=1, defaults={"version": version})

    @classmethod
    def current(cls) -> int:
        """The version now (read on every search, so without building an ORM query)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {cls._meta.db_table} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        return row[0] if row else 0
