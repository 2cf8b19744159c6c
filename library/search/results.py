"""What a search returns."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class ResultRecord:
    """What a list of results shows of a record, read without building its page model."""

    pk: int
    title: str
    record_type: str
    record_type_label: str
    publisher: str
    publication_year: int | None
    date_added: datetime.date | None
    url_path: str
    author_names: list[str]

    @property
    def id(self) -> int:
        return self.pk

    @property
    def url(self) -> str:
        return site_path(self.url_path)

    def authors_display(self) -> str:
        from library.models.records import join_names

        return join_names(self.author_names)


def site_path(url_path: str) -> str:
    """The path Wagtail serves a page at, from the page's `url_path` ("" outside any site)."""
    from wagtail.models import Site

    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return reverse("wagtail_serve", args=[url_path[len(root.root_path) :]])
    return ""


@dataclass
class FacetValue:
    """One value of a facet with the number of matching records the user may see."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchHit:
    """A matching record, with a highlighted snippet (safe HTML) when the query had words."""

    record: ResultRecord
    highlight: str = ""


@dataclass
class SearchResults:
    """Hits for one page, the total, facets, a suggestion and how the query was read."""

    count: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str = ""
    understood: str = ""
    messages: list[str] = field(default_factory=list)
    offset: int = 0
    limit: int = 20

    @property
    def page_number(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1

    @property
    def page_count(self) -> int:
        return max(1, -(-self.count // self.limit)) if self.limit else 1
