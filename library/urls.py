"""The catalogue's own addresses (search, its export and help, OAI-PMH, feeds), for one line in
a site's URLs: `path("", include("library.urls"))`. Record and section pages are Wagtail pages
and need no route here."""

from django.urls import include, path

from library.oai.views import endpoint as oai_endpoint
from library.views import search_export, search_help, site_search

urlpatterns = [
    path("search/", site_search, name="search"),
    path("search/export/<slug:format_name>/", search_export, name="search_export"),
    path("search/help/", search_help, name="search_help"),
    path("oai/", oai_endpoint, name="oai"),
    path("feeds/", include("library.feed_urls")),
]
