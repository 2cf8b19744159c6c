"""What a finished approval workflow does: publish, on the workflow's authority.

Named by WAGTAIL_FINISH_WORKFLOW_ACTION, which Wagtail imports while defining its models, so
this module imports no models.
"""


def publish_approved(workflow_state, user=None) -> None:
    """Publish the approved revision, whether or not the approver may publish directly.

    Wagtail's own finish action publishes as the approver and so needs their publish
    permission, which librarians do not have (they submit instead): the approval is the
    authority to publish.
    """
    workflow_state.content_object.get_latest_revision().publish(
        user=user, skip_permission_checks=True
    )
