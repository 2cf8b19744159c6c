"""The staff view that says why a search ranked its results as it did (issue 19): for each
of the first results, the fields and words that matched and the points each part gave, so
librarians can tune synonyms and weights."""

from django.template.response import TemplateResponse

from library.search import parse_search_params, search_catalogue
from library.search.ranking import FIELD_WEIGHTS
from library.search.service import explain_ranking

SHOWN = 20


def search_ranking_explained(request):
    """The first results of a search as the staff member would see them, each explained."""
    query = request.GET.get("q", "").strip()
    rows = []
    results = None
    if query:
        params = parse_search_params({"q": query, "limit": str(SHOWN)})
        results = search_catalogue(params, request.user)
        explained = explain_ranking(params, [hit.record.pk for hit in results.hits])
        rows = [(hit.record, explained.get(hit.record.pk)) for hit in results.hits]
    return TemplateResponse(
        request,
        "library/admin/search_explain.html",
        {"query": query, "results": results, "rows": rows, "weights": FIELD_WEIGHTS.items()},
    )
