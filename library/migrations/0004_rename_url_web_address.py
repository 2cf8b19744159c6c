from django.db import migrations


class Migration(migrations.Migration):
    """`url` hid Wagtail's Page.url, so admin "View live" links went to the publication."""

    dependencies = [("library", "0003_librarians_group_and_workflow")]

    operations = [
        migrations.RenameField(model_name="cataloguerecord", old_name="url", new_name="web_address"),
    ]
