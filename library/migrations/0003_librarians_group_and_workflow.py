"""The Librarians group and the "Library approval" workflow (a second librarian approves).

Page permissions and the workflow's pages are given when the library sections exist
(library.workflow.ensure_librarian_workflow, called by the demo content).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Librarians"
WORKFLOW = "Library approval"
TASK = "Second librarian approval"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("library", "add_subject"),
    ("library", "change_subject"),
    ("library", "add_board"),
    ("library", "change_board"),
    ("library", "add_agency"),
    ("library", "change_agency"),
]
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document"]


def ensure_permissions_exist(apps):
    # Permissions are normally created after all migrations; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def create_group_and_workflow(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ApprovalTask = apps.get_model("library", "SecondLibrarianApprovalTask")

    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )

    if Workflow.objects.filter(name=WORKFLOW).exists():
        return
    workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    task_type, _created = ContentType.objects.get_or_create(
        app_label="library", model="secondlibrarianapprovaltask"
    )
    task = ApprovalTask.objects.create(name=TASK, active=True, content_type=task_type)
    task.groups.add(group)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def remove_group_and_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("library", "SecondLibrarianApprovalTask").objects.filter(name=TASK).delete()
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_documents_online_and_librarian_approval"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group_and_workflow, remove_group_and_workflow)]
