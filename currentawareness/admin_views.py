"""The staff figures page in the Wagtail admin."""

from django.template.response import TemplateResponse
from wagtail.admin.auth import permission_required

from currentawareness import stats


@permission_required("currentawareness.view_subscriber")
def figures(request):
    months = stats.per_month()
    return TemplateResponse(
        request,
        "currentawareness/admin/figures.html",
        {
            "services": stats.per_service(),
            "topics": stats.per_topic(),
            "issues": stats.per_issue(),
            "months": months,
            "chart": stats.chart(months),
        },
    )
