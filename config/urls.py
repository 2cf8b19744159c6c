"""URL routes: the admin, documents, the API, sitemaps, then Wagtail's page tree."""

from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.api import partner_guide
from home.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/guide/", partner_guide, name="api_guide"),
    # The apps' routes, one line each (as a host site adds them; see README).
    path("api/v3/", include("library.api.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("", include("library.urls")),
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
