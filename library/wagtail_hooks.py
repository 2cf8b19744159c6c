"""Library admin registration and hooks: snippets, document serving, the duplicate warning."""

from django.contrib import messages
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from library.documents import document_decision
from library.models import Agency, Board, CatalogueRecord, Subject, find_possible_duplicates
from library.search_explain import search_ranking_explained


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "tag"
    menu_label = gettext_lazy("Subjects")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "broader", "use_for"]
    search_fields = ["name", "use_for"]


class BoardViewSet(SnippetViewSet):
    model = Board
    icon = "group"
    list_display = ["name", "nation", "former_names"]
    list_filter = ["nation"]
    search_fields = ["name", "former_names"]


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "site"


register_snippet(SubjectViewSet)
register_snippet(BoardViewSet)
register_snippet(AgencyViewSet)


@hooks.register("before_serve_document")
def serve_record_document(document, request):
    """Refuse documents of hidden records as missing, and withdrawn ones with a helpful page.

    Served documents get `X-Robots-Tag: noindex` from library.middleware.
    """
    decision = document_decision(document, request.user)
    if not decision.allowed and decision.reason == "hidden":
        # Answered exactly as a missing document, so a refusal never tells that one exists.
        raise Http404
    if not decision.allowed:
        response = TemplateResponse(
            request,
            "library/document_withdrawn.html",
            {"document": document, "records": decision.records},
            status=410,
        )
        return response.render()
    return None


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_duplicates(request, page):
    """Warn (never block) when the saved record may duplicate another one."""
    record = page.specific if hasattr(page, "specific") else page
    if not isinstance(record, CatalogueRecord):
        return
    duplicates = find_possible_duplicates(record)
    if not duplicates:
        return
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse("wagtailadmin_pages:edit", args=[other.pk]), other.title)
            for other in duplicates
        ),
    )
    messages.warning(
        request,
        format_html(
            "{} {}",
            _(
                "This record may duplicate another with the same ISBN, DOI, or title and year. "
                "Check and, if it is a true duplicate, delete one:"
            ),
            links,
        ),
    )


@hooks.register("register_admin_urls")
def register_search_explain_url():
    return [
        path(
            "search-explained/",
            search_ranking_explained,
            name="library_search_explained",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_search_explain_menu_item():
    return MenuItem(
        _("Search ranking explained"),
        reverse("library_search_explained"),
        icon_name="search",
        order=9000,
    )
