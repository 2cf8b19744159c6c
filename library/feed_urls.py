"""Addresses of the catalogue's Atom feeds (library.feeds)."""

from django.urls import path

from library.feeds import CatalogueFeed, NationFeed, RecordTypeFeed, SearchFeed, SubjectFeed

urlpatterns = [
    path("new/", CatalogueFeed(), name="feed_new"),
    path("subject/<slug:slug>/", SubjectFeed(), name="feed_subject"),
    path("type/<slug:record_type>/", RecordTypeFeed(), name="feed_record_type"),
    path("case-reviews/<slug:nation>/", NationFeed(), name="feed_nation"),
    path("search/", SearchFeed(), name="feed_search"),
]
