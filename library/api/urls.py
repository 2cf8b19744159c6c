"""The partner API's addresses, for one line in a site's URLs:
`path("api/v3/", include("library.api.urls"))`."""

from django.urls import path, re_path

from library.api.site import api, unknown_endpoint

urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
