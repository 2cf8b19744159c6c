"""This site's partner API: the apps' API (library.api.site) plus the partner guide page."""

from pathlib import Path

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from library.api.site import api, docs_enabled, unknown_endpoint

__all__ = ["api", "partner_guide", "unknown_endpoint"]


@docs_enabled
def partner_guide(request):
    """The partner guide (docs/api.md) as a page of this site, linked from the API docs."""
    guide = Path(settings.BASE_DIR) / "docs" / "api.md"
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(guide.read_text())
    return TemplateResponse(request, "api/guide.html", {"guide": mark_safe(html)})  # noqa: S308
