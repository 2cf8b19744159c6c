"""Bar charts drawn on the server as SVG, each with the table of its numbers.

People would rather look than read, and screen readers need the table: the template
(`library/includes/bar_chart.html`) shows both from one `BarChart`. Counts come from querysets
the caller already filtered through `library.visibility`.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from library.models.snippets import Nation

WIDTH = 720
HEIGHT = 300
MARGIN_LEFT = 40
MARGIN_BOTTOM = 30
MARGIN_TOP = 10
# Distinguishable in colour and, for colour-blind readers, in lightness.
SERIES_COLOURS = ["#1d4f91", "#c2410c", "#15803d", "#7e22ce", "#525252"]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass
class BarChart:
    """Counts per category (years) for one or more series (nations), and how to draw them."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[int]]]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, list[int], int]]:
        """(category, count per series, total) for the data table."""
        return [
            (
                category,
                [counts[i] for _label, counts in self.series],
                sum(counts[i] for _label, counts in self.series),
            )
            for i, category in enumerate(self.categories)
        ]

    @property
    def total(self) -> int:
        return sum(sum(counts) for _label, counts in self.series)

    @property
    def baseline(self) -> int:
        return self.height - MARGIN_BOTTOM


def nice_maximum(value: int) -> int:
    """The axis maximum: the smallest of 1, 2, 5 × 10ⁿ at or above `value` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def stacked_bar_chart(title: str, categories: list[str], series: list[tuple[str, list[int]]]):
    """A chart whose bars stack each category's series counts."""
    chart = BarChart(title=title, categories=categories, series=series)
    plot_width = WIDTH - MARGIN_LEFT - 10
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    totals = [row[2] for row in chart.rows]
    top = nice_maximum(max(totals, default=0))
    slot = plot_width / max(len(categories), 1)
    bar_width = slot * 0.7
    chart.legend = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], label) for i, (label, _c) in enumerate(series)
    ]
    for index, category in enumerate(categories):
        x = MARGIN_LEFT + index * slot + (slot - bar_width) / 2
        stacked = 0
        for series_index, (label, counts) in enumerate(series):
            count = counts[index]
            if not count:
                continue
            height = plot_height * count / top
            y = chart.baseline - plot_height * stacked / top - height
            chart.bars.append(
                Bar(
                    round(x, 1),
                    round(y, 1),
                    round(bar_width, 1),
                    round(height, 1),
                    SERIES_COLOURS[series_index % len(SERIES_COLOURS)],
                    f"{category}, {label}: {count}",
                )
            )
            stacked += count
        chart.labels.append((round(x + bar_width / 2, 1), category))
    for value in (0, top // 2, top) if top > 1 else (0, top):
        chart.ticks.append((round(chart.baseline - plot_height * value / top, 1), value))
    return chart


def reviews_per_year_by_nation(reviews: QuerySet, title: str) -> BarChart:
    """Case reviews (already visible to the caller) per year of publication, by nation."""
    counts = Counter()
    for row in (
        reviews.exclude(publication_year=None)
        .values("publication_year", "nation")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    ):
        counts[(row["publication_year"], row["nation"])] += row["count"]
    years = sorted({year for year, _nation in counts})
    nations = [(value, label) for value, label in Nation.choices]
    series = [(str(label), [counts[(year, value)] for year in years]) for value, label in nations]
    if any(nation not in Nation.values for _year, nation in counts):
        series.append(
            (
                "Not recorded",
                [
                    sum(
                        n
                        for (y, nation), n in counts.items()
                        if y == year and nation not in Nation.values
                    )
                    for year in years
                ],
            )
        )
    return stacked_bar_chart(title, [str(year) for year in years], series)


def reviews_per_year(reviews: QuerySet, title: str) -> BarChart:
    """Case reviews (already visible to the caller) per year of publication."""
    rows = (
        reviews.exclude(publication_year=None)
        .values("publication_year")
        .annotate(count=Count("pk", distinct=True))
        .order_by("publication_year")
    )
    years = [str(row["publication_year"]) for row in rows]
    return stacked_bar_chart(title, years, [("Case reviews", [row["count"] for row in rows])])
