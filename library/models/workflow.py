"""Moderation for the catalogue: a record is published once a second librarian approves it."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

LIBRARIANS_GROUP = "Librarians"
LIBRARY_WORKFLOW = "Library approval"


class SecondLibrarianApprovalTask(AbstractGroupApprovalTask):
    """A group approval that the librarian who submitted the record cannot give themselves."""

    class Meta:
        verbose_name = _("second librarian approval")
        verbose_name_plural = _("second librarian approvals")

    def _requested_by(self, obj):
        state = getattr(obj, "current_workflow_state", None)
        return state.requested_by if state is not None else None

    def get_actions(self, obj, user):
        if not user.is_superuser and self._requested_by(obj) == user:
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("A librarian other than the one who submitted the record approves it.")
