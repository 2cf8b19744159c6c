"""The site-wide search box's address: it searches the library catalogue."""

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
