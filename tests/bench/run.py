"""`make bench`: run every benchmark and write the table to docs/benchmarks.md.

Each benchmark module in tests/bench/ defines `run(options) -> list[Result]`; this runner
collects them in order, prints each row as it comes, and rewrites the results file with the
machine they ran on. Benchmarks are never part of `make test`.
"""

import argparse
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "benchmarks.md"
BENCHMARKS = [
    "tests.bench.bench_pages",
    "tests.bench.bench_search",
    "tests.bench.bench_restart",
    "tests.bench.bench_known_item",
    "tests.bench.bench_stock",
    "tests.bench.bench_generate",
    "tests.bench.bench_import",
    "tests.bench.bench_api",
    "tests.bench.bench_publish",
    "tests.bench.bench_oai",
    "tests.bench.bench_digests",
]


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; Django {django.get_version()}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only", help="run only benchmark modules whose name contains one of these (comma list)"
    )
    parser.add_argument("--records", type=int, default=None, help="catalogue size to test at")
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="search benchmark: use the search index as it is when it holds every live record, "
        "instead of timing a full rebuild first",
    )
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    import importlib

    sections = []
    for module_name in BENCHMARKS:
        if options.only and not any(name in module_name for name in options.only.split(",")):
            continue
        module = importlib.import_module(module_name)
        print(f"== {module_name}", flush=True)  # noqa: T201 - progress for the operator
        sections.append(module.run(options))

    revision = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    database = django.conf.settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    stamp = (
        f"_Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at revision `{revision or 'unknown'}` "
        f"on {database}; machine: {machine_description()}._"
    )
    produced = [[section[0], "", stamp, *section[1:]] for section in sections]
    kept = split_sections(RESULTS.read_text()) if options.only and RESULTS.exists() else []
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (never by `make test`). Re-run it after a change that could",
        "affect speed and commit the new table; `--only NAME` reruns some benchmarks and keeps",
        "the other sections, each with the run and machine it came from.",
        "",
    ]
    for section in merge_sections(kept, produced):
        lines.extend(section)
        lines.append("")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print(f"Wrote {RESULTS.relative_to(ROOT)}")  # noqa: T201
    return 0


def split_sections(text: str) -> list[list[str]]:
    """The `## ` sections of a results file, each as its lines without trailing blanks."""
    sections: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
    for section in sections:
        while section and not section[-1].strip():
            section.pop()
    return sections


def merge_sections(kept: list[list[str]], produced: list[list[str]]) -> list[list[str]]:
    """The kept sections in their order with those produced now in their place; a new one
    follows the section it is another database's run of ("## Catalogue search on
    PostgreSQL" after "## Catalogue search"), other new ones come last."""
    fresh = {section[0]: section for section in produced}
    merged = [fresh.pop(section[0], section) for section in kept]
    for title in [title for title in fresh if " on " in title]:
        base = title.split(" on ", 1)[0]
        places = [index for index, section in enumerate(merged) if section[0].startswith(base)]
        if places:
            merged.insert(places[-1] + 1, fresh.pop(title))
    return merged + [section for section in produced if section[0] in fresh]


if __name__ == "__main__":
    sys.exit(main())
