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
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from library import import_views
from library.documents import document_decision
from library.models import Agency, Board, CatalogueRecord, Subject, find_possible_duplicates
from library.search_explain import search_ranking_explained
from library.visibility import audience_of_request


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "tag"
    menu_label = gettext_lazy("Subjects")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "broader", "use_for"]
    search_fields = ["name", "use_for"]


class BoardChooserViewSet(SnippetChooserViewSet):
    """The board chooser with a "Create" tab, so a cataloguer meeting a new partnership adds
    it without leaving the case review."""

    form_fields = ["name", "nation", "former_names", "website"]
    create_action_label = gettext_lazy("Add this board or partnership")
    creation_tab_label = gettext_lazy("Add a new one")


class BoardViewSet(SnippetViewSet):
    model = Board
    icon = "group"
    chooser_viewset_class = BoardChooserViewSet
    list_display = ["name", "nation", "former_names"]
    list_filter = ["nation"]
    search_fields = ["name", "former_names"]


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "site"


register_snippet(SubjectViewSet)
register_snippet(BoardViewSet)
register_snippet(AgencyViewSet)


@hooks.register("construct_page_chooser_queryset")
def hide_restricted_pages_in_choosers(pages, request):
    """The admin's page chooser (reading list entries, enquiry replies) lists no page whose
    view restriction the user does not pass: restricted records are invisible everywhere to
    anyone not allowed."""
    return pages.exclude(audience_of_request(request).hidden_q())


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


@hooks.register("register_admin_viewset")
def register_subject_chooser():
    from library.subject_chooser import subject_chooser_viewset

    return subject_chooser_viewset


@hooks.register("register_admin_urls")
def register_subject_suggestions():
    from django.urls import path

    from library.subject_chooser import subject_suggestions

    return [path("subject-suggestions/", subject_suggestions, name="library_subject_suggestions")]


@hooks.register("insert_editor_js")
def record_type_fields_js():
    from django.templatetags.static import static

    return format_html('<script src="{}" defer></script>', static("library/record-type-fields.js"))


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("catalogue-import/", import_views.import_index, name="library_import"),
        path("catalogue-import/<int:pk>/", import_views.import_run, name="library_import_run"),
        path(
            "catalogue-import/<int:pk>/start/",
            import_views.start_import,
            name="library_import_start",
        ),
    ]


class LibrariansMenuItem(MenuItem):
    """The import screen's menu item, shown to librarians only."""

    def is_shown(self, request):
        return import_views.may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return LibrariansMenuItem(
        gettext_lazy("Import records"),
        reverse("library_import"),
        icon_name="download",
        order=310,
        name="import-records",
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
