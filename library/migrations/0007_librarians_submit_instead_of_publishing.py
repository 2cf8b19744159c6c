"""Librarians lose publish permission on their pages: Wagtail then offers them only "Submit".

A second librarian's approval publishes the record (library.approval.publish_approved), so
the admin no longer needs a hook that turned a librarian's Publish into a submission.
"""

from django.db import migrations

GROUP = "Librarians"
WORKFLOW = "Library approval"


def publish_permissions(apps):
    return apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(
        group__name=GROUP,
        permission__content_type__app_label="wagtailcore",
        permission__codename="publish_page",
    )


def withhold_publish(apps, schema_editor):
    publish_permissions(apps).delete()


def restore_publish(apps, schema_editor):
    # Back to where the workflow applies, as library.workflow.ensure_librarian_workflow gave it.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    group = Group.objects.filter(name=GROUP).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    if group is None or publish is None:
        return
    for section in WorkflowPage.objects.filter(workflow__name=WORKFLOW):
        GroupPagePermission.objects.get_or_create(
            group=group, page_id=section.page_id, permission=publish
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0006_visibility_state")]

    operations = [migrations.RunPython(withhold_publish, restore_publish)]
