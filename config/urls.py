"""URL routes: the admin, documents, the API, sitemaps, then Wagtail's page tree."""

from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api, partner_guide, unknown_endpoint
from home.health import healthz
from library.oai.views import endpoint as oai_endpoint
from library.views import search_export, search_help, site_search

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/guide/", partner_guide, name="api_guide"),
    path("api/v3/", api.urls),
    re_path(r"^api/v3/(?P<rest>.*)$", unknown_endpoint),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("search/", site_search, name="search"),
    path("search/export/<slug:format_name>/", search_export, name="search_export"),
    path("oai/", oai_endpoint, name="oai"),
    path("feeds/", include("library.feed_urls")),
    path("search/help/", search_help, name="search_help"),
    path("subscriptions/", include("currentawareness.urls")),
]

# Images only, and only with DEBUG (static() serves nothing otherwise): documents always go
# through Wagtail's serve view, which applies record restrictions and withdrawal.
for folder in ("original_images", "images"):
    urlpatterns += static(
        f"{settings.MEDIA_URL}{folder}/", document_root=Path(settings.MEDIA_ROOT) / folder
    )

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
