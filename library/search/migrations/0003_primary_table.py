from django.db import migrations

from library.search.schema import create_primary_table, drop_primary_table


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0002_full_text_tables")]

    operations = [migrations.RunPython(create_primary_table, drop_primary_table)]
