"""Template helpers for reading lists."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """`url` with the site's scheme and host, so printed addresses work from paper."""
    request = context.get("request")
    if not url or request is None or not url.startswith("/"):
        return url
    return request.build_absolute_uri(url)
