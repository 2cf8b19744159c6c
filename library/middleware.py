"""Keep served documents out of search engines' indexes, and answer an unreachable catalogue
search with a clear page."""

import logging

from django.shortcuts import render

from library.documents import NOINDEX, is_document_download
from library.search.engines.base import SearchUnavailable

logger = logging.getLogger(__name__)


class DocumentNoIndexMiddleware:
    """Add `X-Robots-Tag: noindex` to every file served by Wagtail's document view.

    A middleware because Wagtail's serve view has no hook after the response is built (its
    `before_serve_document` hook can refuse a download but not change a served file).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_document_download(request, response):
            response["X-Robots-Tag"] = NOINDEX
        return response


class SearchUnavailableMiddleware:
    """Answer a page whose search engine cannot be reached with a 503 page that says so (the
    site's layout, a heading and what to do), never a server error; the API answers its own
    503 problem (library.api.plumbing)."""

    RETRY_AFTER = "60"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, SearchUnavailable):
            return None
        logger.warning("Search unavailable for %s: %s", request.path, exception.__cause__)
        response = render(
            request, "library/search/unavailable.html", {"reason": str(exception)}, status=503
        )
        response["Retry-After"] = self.RETRY_AFTER
        return response
