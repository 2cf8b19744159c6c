"""The home page's front door: what each service has to show, asked of the visibility door.

The home app imports no other app, so its template loads these tags instead: the search, the
case review repository, reading lists, new in the library and the Information Service.
"""

from django import template
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from library.models import CaseReviewIndexPage, LibraryIndexPage
from library.visibility import visible_pages

register = template.Library()

FRONT_DOOR_NEW = 5
FRONT_DOOR_REVIEWS = 3
FRONT_DOOR_LISTS = 4


def _pages_of(app_label: str, model: str, request, limit: int) -> list:
    """Live pages of one type that the request's user may see, newest first."""
    content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
    if content_type is None:
        return []
    pages = Page.objects.filter(content_type=content_type)
    return list(visible_pages(pages, request.user).order_by("-first_published_at", "-pk")[:limit])


@register.simple_tag(takes_context=True)
def front_door(context) -> dict:
    """Everything the home page shows, each list already limited to what the user may see."""
    request = context["request"]
    library = LibraryIndexPage.objects.live().first()
    repository = CaseReviewIndexPage.objects.live().first()
    reading_list_index = _pages_of("readinglists", "readinglistindexpage", request, 1)
    enquiry_form = _pages_of("enquiries", "enquiryformpage", request, 1)
    return {
        "library": library,
        "repository": repository,
        "new_records": library.new_records(request.user, FRONT_DOOR_NEW) if library else [],
        "recent_reviews": (
            list(
                repository.visible_reviews(request.user).order_by(
                    "-publication_year", "-date_added", "-pk"
                )[:FRONT_DOOR_REVIEWS]
            )
            if repository
            else []
        ),
        "review_count": repository.visible_reviews(request.user).count() if repository else 0,
        "reading_list_index": reading_list_index[0] if reading_list_index else None,
        "reading_lists": _pages_of("readinglists", "readinglistpage", request, FRONT_DOOR_LISTS),
        "enquiry_form": enquiry_form[0] if enquiry_form else None,
    }
