"""Site settings moved to shelfmark_core (so the apps install into sites with their own `home`).

Copies every site's row, and gives the groups that could edit the settings here the same
permissions on the new model, before the old table is dropped.
"""

from django.db import migrations

FIELDS = (
    "information_service_phone",
    "information_service_email",
    "helpline_phone",
    "navigation",
    "footer_links",
    "footer_text",
)


def copy_settings(apps, schema_editor):
    Old = apps.get_model("home", "SiteSettings")
    New = apps.get_model("shelfmark_core", "SiteSettings")
    for old in Old.objects.all():
        values = {name: getattr(old, name) for name in FIELDS}
        New.objects.update_or_create(site_id=old.site_id, defaults=values)

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old_type = ContentType.objects.filter(app_label="home", model="sitesettings").first()
    if old_type is None:
        return
    new_type, _ = ContentType.objects.get_or_create(
        app_label="shelfmark_core", model="sitesettings"
    )
    for old_permission in Permission.objects.filter(content_type=old_type):
        action = old_permission.codename.split("_", 1)[0]
        new_permission, _ = Permission.objects.get_or_create(
            content_type=new_type,
            codename=f"{action}_sitesettings",
            defaults={"name": old_permission.name},
        )
        new_permission.group_set.add(*old_permission.group_set.all())
        new_permission.user_set.add(*old_permission.user_set.all())


def copy_back(apps, schema_editor):
    Old = apps.get_model("home", "SiteSettings")
    New = apps.get_model("shelfmark_core", "SiteSettings")
    for new in New.objects.all():
        values = {name: getattr(new, name) for name in FIELDS}
        Old.objects.update_or_create(site_id=new.site_id, defaults=values)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("shelfmark_core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(copy_settings, copy_back),
        migrations.DeleteModel(name="SiteSettings"),
    ]
