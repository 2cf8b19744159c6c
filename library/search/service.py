"""The search function every caller uses. (Provisional ORM implementation.)"""

from django.db.models import Q

from library.search.params import SearchParams
from library.search.results import SearchHit, SearchResults


def search_catalogue(params: SearchParams, user, *, within=None) -> SearchResults:
    """Search the records `user` may see; `within` limits to one section (a Page)."""
    from library.models import CatalogueRecord

    records = CatalogueRecord.objects.visible_to(user)
    if within is not None:
        records = records.descendant_of(within)
    for word in params.q.split():
        records = records.filter(Q(title__icontains=word) | Q(abstract__icontains=word))
    if params.selected("record_type"):
        records = records.filter(record_type__in=params.selected("record_type"))
    if params.selected("nation"):
        records = records.filter(nation__in=params.selected("nation"))
    if params.selected("subject"):
        records = records.filter(subjects__slug__in=params.selected("subject")).distinct()
    if params.year_from:
        records = records.filter(publication_year__gte=params.year_from)
    if params.year_to:
        records = records.filter(publication_year__lte=params.year_to)
    order = {
        "newest": ["-publication_year", "-pk"],
        "oldest": ["publication_year", "pk"],
        "title": ["title", "pk"],
    }.get(params.sort, ["-date_added", "-pk"])
    records = records.order_by(*order)
    count = records.count()
    page = list(records[params.offset : params.offset + params.limit])
    return SearchResults(
        count=count,
        hits=[SearchHit(record=record) for record in page],
        understood=params.q,
        messages=list(params.messages),
        offset=params.offset,
        limit=params.limit,
    )
