"""A partial index of unpublished pages: the visibility rule reads them after every publish, and
a catalogue of 250,000 records has only a handful (a full scan took ~200 ms)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0008_partner_token_grants"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS library_unpublished_pages "
            "ON wagtailcore_page (id) WHERE NOT live",
            "DROP INDEX IF EXISTS library_unpublished_pages",
        )
    ]
