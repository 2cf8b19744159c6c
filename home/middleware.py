"""The Content-Security-Policy header, with the exceptions Wagtail's admin needs."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; under the admin prefix, `CONTENT_SECURITY_POLICY_ADMIN` replaces
    the directives it names.

    Wagtail's admin writes inline scripts (inline panels, date pickers) and styles that carry
    no nonce, so the admin alone allows inline code; the public site, the API docs and the
    widget demo get the strict policy.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.replace = {**settings.CONTENT_SECURITY_POLICY_ADMIN, **(parts.replace or {})}
        return parts
