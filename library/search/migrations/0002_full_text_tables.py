from django.db import migrations

from library.search.schema import create_tables, drop_tables


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0001_initial")]

    operations = [migrations.RunPython(create_tables, drop_tables)]
