"""What a search returns."""

from dataclasses import dataclass, field


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

    record: object
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
