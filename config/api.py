"""The one partner API: Wagtail's v3 API, with each app's router mounted beside `pages/`."""

from wagtail.api.v3.urls import api

__all__ = ["api"]
api.add_router("/enquiries/", "enquiries.api.router")  # Information Service enquiries
