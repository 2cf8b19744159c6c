"""Keep served documents out of search engines' indexes."""

from library.documents import NOINDEX, is_document_download


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
