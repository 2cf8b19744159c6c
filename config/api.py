"""The one partner API: Wagtail's v3 API, with each app's router mounted beside `pages/`."""

from django.utils.translation import gettext as _
from ninja.openapi.docs import Swagger
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.urls import api

from library.api import APIProblem, problem_from_exception

__all__ = ["api", "unknown_endpoint"]
api.add_router("/enquiries/", "enquiries.api.router")  # Information Service enquiries
api.add_router("/catalogue/", "library.api.catalogue_router")  # search, records, new additions
api.add_router("/subjects/", "library.api.subjects_router")  # the subject thesaurus
api.add_router("/reading-lists/", "readinglists.api.router")  # annotated reading lists

# Partner endpoints answer every error as problem+json, with headers such as Retry-After.
api.add_exception_handler(APIProblem, problem_from_exception)

# Swagger UI from django-ninja's bundled static files ("ninja" is in INSTALLED_APPS), never a CDN.
api.docs = Swagger(settings={"persistAuthorization": True})
api.title = "Shelfmark API"
api.description = (
    "The library catalogue, case reviews, subjects and reading lists for partner portals, "
    "enquiry submission, and Wagtail's own page API. Read endpoints work without a token for "
    "public records; a partner token (Authorization: Bearer …) unlocks restricted records its "
    "group may see. Errors are application/problem+json. See docs/api.md."
)


def _validation_error_with_parameter_locations(original):
    """Ninja names a query schema's field by its parameter only when the error is on the field
    itself; an error on one value of a repeated parameter (`?type=nope`) kept the schema's
    argument name in its location. Map those too, so `loc` is always ["query", name, index]."""

    def build(error_contexts):
        error = original(error_contexts)
        reverse: dict[str, dict] = {}
        for context in error_contexts:
            model = context.model
            reverse.setdefault(model.__ninja_param_source__, {}).update(
                getattr(model, "__ninja_flatten_map_reverse__", {})
            )
        for item in error.errors:
            source, *rest = item["loc"]
            rest = tuple(rest)
            for cut in range(len(rest) - 1, 0, -1):
                if rest[:cut] in reverse.get(source, {}):
                    item["loc"] = (source, *reverse[source][rest[:cut]], *rest[cut:])
                    break
        return error

    return build


api.validation_error_from_error_contexts = _validation_error_with_parameter_locations(
    api.validation_error_from_error_contexts
)


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
