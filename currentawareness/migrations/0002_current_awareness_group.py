"""The "Current awareness" group: the subscription figures in the admin (issue pages are
edited through the page permissions an administrator gives the group)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Current awareness"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("currentawareness", "subscriber", "view_subscriber"),
    ("currentawareness", "digestdelivery", "view_digestdelivery"),
]


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make this app's now.
    app_config = apps.get_app_config("currentawareness")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("currentawareness", "0001_current_awareness"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # After Wagtail's migrations that hand choose permissions to every admin group.
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
