"""The one partner API: our own NinjaAPI with each installed app's router, and nothing else.

A site mounts it with one line, `path("api/v3/", include("library.api.urls"))`; the routers of
readinglists, enquiries and learning join it when those apps are in INSTALLED_APPS.

Wagtail's stock v3 API object (`wagtail.api.v3.api.api`) also collects pages, images,
documents, redirects, sites, snippets, schema and whoami as apps load; it is not mounted, so
partners get only what a portal needs, behind the same tokens, rate limits and visibility
rules. `wagtail.api.v3` stays installed for the admin's API token screens.
"""

from functools import wraps

from django.apps import apps
from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.openapi.docs import Swagger
from wagtail.api.v3.errors import problem_response

from library.api.plumbing import PartnerAPI
from library.record_details import API_NAMESPACE

__all__ = ["api", "docs_enabled", "unknown_endpoint"]


def docs_enabled(view):
    """WAGTAILAPI_DOCS_ENABLED = False hides the docs page and the OpenAPI document."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        if not getattr(settings, "WAGTAILAPI_DOCS_ENABLED", True):
            raise Http404
        return view(request, *args, **kwargs)

    return gated


# Swagger UI shows the groups in this order, each with its description.
ENDPOINT_GROUPS = [
    {
        "name": "catalogue",
        "description": "Search the library catalogue and case review repository, read one "
        "record with its documents, export it (RIS, BibTeX, CSL-JSON, MARCXML, Dublin Core) "
        "or cite it, and list new additions.",
    },
    {
        "name": "subjects",
        "description": "The subject thesaurus: preferred terms, use-for terms, broader, "
        "narrower and related terms.",
    },
    {
        "name": "reading lists",
        "description": "Annotated reading lists on practice topics, with their sections and "
        "entries in order.",
    },
    {
        "name": "learning from case reviews",
        "description": "Thematic briefings with their risk factors and recommendations, each "
        "nation's case reviews by year, and the recommendations made across reviews.",
    },
    {
        "name": "enquiries",
        "description": "Submit a question to the Information Service on someone's behalf "
        "(a token issued for it is needed).",
    },
]

api = PartnerAPI(
    title="Shelfmark API",
    version="3.0.0",
    description=(
        "The library catalogue, case reviews, subjects and reading lists for partner portals, "
        "and enquiry submission. Read endpoints work without a token for public records; a "
        "partner token (Authorization: Bearer …) unlocks restricted records its group may see "
        "and, when issued for it, enquiry submission. Errors are application/problem+json.\n\n"
        "**[Read the partner guide](/api/v3/guide/)**: tokens, paging, caching, rate limits, "
        "errors and the search widget."
    ),
    openapi_extra={"tags": ENDPOINT_GROUPS},
    urls_namespace=API_NAMESPACE,
    openapi_url="/openapi.json",
    docs_url="/docs/",
    # Swagger UI from django-ninja's bundled static files ("ninja" is in INSTALLED_APPS).
    # No deep links: they put a link inside each operation's button (nested controls). The
    # schemas list is left out of the page (each endpoint shows its own): endpoints come first.
    docs=Swagger(
        settings={
            "persistAuthorization": True,
            "deepLinking": False,
            "defaultModelsExpandDepth": -1,
        }
    ),
    docs_decorator=docs_enabled,
)
api.add_router("/catalogue/", "library.api.catalogue.catalogue_router")  # search, records, new
api.add_router("/subjects/", "library.api.catalogue.subjects_router")  # the subject thesaurus
# Each app's router by dotted path, only when the site installs the app.
for app_label, prefix, router in [
    ("readinglists", "/reading-lists/", "readinglists.api.router"),  # annotated reading lists
    ("enquiries", "/enquiries/", "enquiries.api.router"),  # Information Service enquiries
    ("learning", "/learning/", "learning.api.router"),  # briefings, nations, recommendations
]:
    if apps.is_installed(app_label):
        api.add_router(prefix, router)


def unknown_endpoint(request, rest=""):
    """Any other address under /api/v3/: a problem+json 404 for API clients, not the site's
    HTML page."""
    return problem_response(
        status=404,
        detail=_(
            "There is no API endpoint at %(path)s. The endpoints are listed at "
            "/api/v3/docs and described in /api/v3/openapi.json."
        )
        % {"path": request.path},
    )
