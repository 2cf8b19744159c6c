"""Give the Librarians group its pages and the second-librarian workflow on them."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from library.models.workflow import LIBRARIANS_GROUP, LIBRARY_WORKFLOW, SecondLibrarianApprovalTask

# Librarians add, edit and submit records but may not publish, so Wagtail offers them only
# "Submit for moderation"; the approval publishes (see library.approval).
LIBRARIAN_PAGE_PERMISSIONS = ("add_page", "change_page")


def librarians_group() -> Group:
    """The Librarians group (created by migration; recreated here if someone deleted it)."""
    group, _created = Group.objects.get_or_create(name=LIBRARIANS_GROUP)
    return group


def library_workflow(group: Group) -> Workflow:
    """The "Library approval" workflow (made by migration; recreated here if it was deleted)."""
    workflow = Workflow.objects.filter(name=LIBRARY_WORKFLOW).first()
    if workflow is not None:
        return workflow
    workflow = Workflow.objects.create(name=LIBRARY_WORKFLOW, active=True)
    task = SecondLibrarianApprovalTask.objects.create(name="Second librarian approval")
    task.groups.add(group)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def ensure_librarian_workflow(*sections: Page) -> None:
    """Let librarians edit below each section and route its records through approval."""
    group = librarians_group()
    workflow = library_workflow(group)
    for section in sections:
        for codename in LIBRARIAN_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=section,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        WorkflowPage.objects.get_or_create(page=section, defaults={"workflow": workflow})
