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
    url: str  # where the site serves the record ("" outside any site)

    @property
    def id(self) -> int:
        return self.pk

    def authors_display(self) -> str:
        from library.models.records import join_names

        return join_names(self.author_names)


def site_roots() -> tuple[list[str], str]:
    """The root paths of every site and the prefix Wagtail serves pages under; read once for
    a list of pages rather than once per page."""
    from wagtail.models import Site

    return [root.root_path for root in Site.get_site_root_paths()], reverse(
        "wagtail_serve", args=[""]
    )


def site_path(url_path: str, roots: tuple[list[str], str] | None = None) -> str:
    """The path Wagtail serves a page at, from the page's `url_path` ("" outside any site)."""
    root_paths, prefix = roots or site_roots()
    for root_path in root_paths:
        if url_path.startswith(root_path):
            return prefix + url_path[len(root_path) :]
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
