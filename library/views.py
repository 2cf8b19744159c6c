"""The site-wide search box's address (it searches the whole catalogue, case reviews
included, on the library home), the search help page, and exports of a search's results."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from library.formats.csl import prefetch_for_export
from library.formats.exporters import UnknownFormat, export, get_format
from library.models import CaseReviewIndexPage, CatalogueRecord, LibraryIndexPage
from library.search import parse_search_params, search_catalogue


def site_search(request):
    """Send the header search to the library home, keeping the query string."""

    library = LibraryIndexPage.objects.live().first()
    if library is None:
        raise Http404
    query = request.GET.urlencode()
    return HttpResponseRedirect(library.url + (f"?{query}" if query else ""))


def search_section(section_id: str):
    """The live section page a results page searched within (`within=<id>`), if any."""
    if not section_id.isdigit():
        return None
    return (
        LibraryIndexPage.objects.live().filter(pk=section_id).first()
        or CaseReviewIndexPage.objects.live().filter(pk=section_id).first()
    )


def search_export(request, format_name: str):
    """The records a results page shows (same query, filters, sort and page), in an export
    format, as the caller may see them."""
    try:
        get_format(format_name)
    except UnknownFormat as error:
        return HttpResponse(str(error), status=404, content_type="text/plain; charset=utf-8")
    params = parse_search_params(request.GET)
    results = search_catalogue(
        params, request, within=search_section(request.GET.get("within", ""))
    )
    ids = [hit.record.pk for hit in results.hits]
    records = prefetch_for_export(
        CatalogueRecord.objects.visible_to(request).filter(pk__in=ids).specific()
    )
    by_id = {record.pk: record for record in records}
    exported = export(
        [by_id[pk] for pk in ids if pk in by_id],
        format_name,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename("search")}"'
    return response


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
