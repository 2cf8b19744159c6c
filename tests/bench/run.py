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
    "tests.bench.bench_stock",
    "tests.bench.bench_generate",
    "tests.bench.bench_api",
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
    parser.add_argument("--only", help="run only benchmark modules whose name contains this")
    parser.add_argument("--records", type=int, default=None, help="catalogue size to test at")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    import importlib

    sections = []
    for module_name in BENCHMARKS:
        if options.only and options.only not in module_name:
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
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (never by `make test`). Re-run it after a change that could",
        "affect speed and commit the new table.",
        "",
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, revision `{revision or 'unknown'}`",
        f"- Machine: {machine_description()}",
        f"- Database: {django.conf.settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}",
        "",
    ]
    for section in sections:
        lines.extend(section)
        lines.append("")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print(f"Wrote {RESULTS.relative_to(ROOT)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
