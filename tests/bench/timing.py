"""Small timing helpers shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable

from django.db import connection


def time_calls(function: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds taken by each of `repeat` calls of `function`, after `warmup` calls."""
    for _ in range(warmup):
        function()
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def percentile(durations: list[float], fraction: float) -> float:
    """The value below which `fraction` of `durations` fall (nearest rank)."""
    ordered = sorted(durations)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def summary_row(label: str, durations: list[float]) -> str:
    """A markdown table row: label, calls, p50, p95, p99 and mean in milliseconds."""
    return (
        f"| {label} | {len(durations)} | {percentile(durations, 0.5):.1f} | "
        f"{percentile(durations, 0.95):.1f} | {percentile(durations, 0.99):.1f} | "
        f"{statistics.fmean(durations):.1f} |"
    )


TABLE_HEADER = [
    "| what | calls | p50 ms | p95 ms | p99 ms | mean ms |",
    "|---|---:|---:|---:|---:|---:|",
]


def section_title(title: str) -> str:
    """A results section's heading: SQLite's as it is, another database's in a section of its
    own beside it ("## Catalogue search on PostgreSQL"), so neither run overwrites the other."""
    if connection.vendor == "sqlite":
        return f"## {title}"
    return f"## {title} on {connection.display_name}"
