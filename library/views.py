"""The site-wide search box's address (it searches the whole catalogue, case reviews
included, on the library home) and the search help page."""

from django.http import HttpResponseRedirect
from django.shortcuts import render

from library.models.pages import LibraryIndexPage


def site_search(request):
    """Send the header search to the library home, keeping the query string."""

    library = LibraryIndexPage.objects.live().first()
    if library is None:
        return render(request, "404.html", status=404)
    query = request.GET.urlencode()
    return HttpResponseRedirect(library.url + (f"?{query}" if query else ""))


def search_help(request):
    """How to search: the query language with examples, its fields, and what filters do."""
    from library.search.query import FACET_FIELDS, TEXT_FIELDS

    library = LibraryIndexPage.objects.live().first()
    return render(
        request,
        "library/search/help.html",
        {
            "library_url": library.url if library is not None else "",
            "text_fields": TEXT_FIELDS,
            "facet_fields": FACET_FIELDS,
        },
    )
