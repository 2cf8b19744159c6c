"""Catalogue search: the one entry point used by the site, the API and the digests.

`parse_search_params` turns a query string into `SearchParams` (never raising on user input),
and `search_catalogue` runs it for a user, returning hits, exact facet counts, a suggestion
and a plain-English account of how the query was understood.
"""

from library.search.params import (
    FACET_NAMES,
    SORTS,
    SearchParams,
    parse_search_params,
)
from library.search.results import FacetValue, SearchHit, SearchResults


def search_catalogue(params: SearchParams, user, *, within=None) -> SearchResults:
    """Search the records `user` may see (see library.search.service)."""
    # Imported here because this package is also a Django app, loaded before the models.
    from library.search.service import search_catalogue as run

    return run(params, user, within=within)


__all__ = [
    "FACET_NAMES",
    "SORTS",
    "FacetValue",
    "SearchHit",
    "SearchParams",
    "SearchResults",
    "parse_search_params",
    "search_catalogue",
]
