"""OAI-PMH harvests page through live records by (last published, id): an index on the pair
keeps the last page of a 250,000-record harvest as quick as the first. Live records published
before the OAI endpoint existed without a publication time get one, so every record has a
datestamp."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0011_oai_withdrawn_records"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS library_page_datestamp "
            "ON wagtailcore_page (last_published_at, id)",
            "DROP INDEX IF EXISTS library_page_datestamp",
        ),
        migrations.RunSQL(
            "UPDATE wagtailcore_page SET last_published_at = "
            "COALESCE(first_published_at, latest_revision_created_at, CURRENT_TIMESTAMP) "
            "WHERE live AND last_published_at IS NULL "
            "AND id IN (SELECT page_ptr_id FROM library_cataloguerecord)",
            migrations.RunSQL.noop,
        ),
    ]
