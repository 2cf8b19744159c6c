"""A one-row version stamp: caches in every process key what they hold by it, and the writes
that invalidate them move it on in the same transaction."""

import secrets

from django.db import connection, models


class VersionStamp(models.Model):
    """A single row whose version changes whenever what it stands for does.

    The version is random rather than a counter, so a rolled-back change can never leave a
    process holding data for a version number that now means something else."""

    version = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    @classmethod
    def bump(cls) -> None:
        """Mark the change: every process reads its copy again."""
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
