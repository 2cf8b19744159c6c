from django.db import migrations

from library.search.schema import create_postings, drop_postings


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0005_pending_index_updates")]

    operations = [migrations.RunPython(create_postings, drop_postings)]
