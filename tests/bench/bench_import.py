"""Importing a MARC 21 file into an empty catalogue: import, index and prepare, each timed.

The file is written from the demo generator's planned records (the same seeded catalogue
`generate_demo_records` writes), one MARC 21 record each, so the import reads what a real
supplier's file holds: titles, statements of responsibility, publication, ISBNs or host items,
subjects and keywords, abstracts. The import runs in a child process against a fresh SQLite file
of its own (var/bench-import.sqlite3), through the library functions the `import_records` command
calls with `--workers 2`: indexing and preparing run in two forked processes beside the import,
which report the CPU seconds of each stage.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COUNT = 250_000
BUDGET_SECONDS = 600

CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from library.imports.readers import read_records
from library.imports.writer import IndexAndPrepare, import_parent, import_records

def cpu():
    # This process and its finished children (the indexing and preparing processes).
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )

data = open(sys.argv[1], "rb").read()
workers = int(sys.argv[2])
load_before = os.getloadavg()[0]
started, cpu_started, own_started = time.perf_counter(), cpu(), time.process_time()
with IndexAndPrepare(workers) as pipeline:
    _format, entries = read_records(data)
    report = import_records(entries, import_parent(), on_written=pipeline.add)
    imported, own_imported = time.perf_counter(), time.process_time()
    work = pipeline.finish()
finished, cpu_finished = time.perf_counter(), cpu()
print(json.dumps({
    "summary": report.summary(),
    "records": len(set(report.written_ids)),
    "import": [imported - started, own_imported - own_started],
    "tail": finished - imported,
    "total": [finished - started, cpu_finished - cpu_started],
    "main": time.process_time() - own_started,
    "load_cpu": work.load_cpu,
    "index_cpu": work.index_cpu,
    "prepare_cpu": work.prepare_cpu,
    "load": [load_before, os.getloadavg()[0]],
}))
"""


def manage(*args: str, env: dict) -> str:
    completed = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return completed.stdout


def write_marc_file(path: Path, count: int) -> None:
    """`count` MARC 21 records planned by the demo generator (seed 1)."""
    import pymarc

    from demo.synthetic_records import RecordPlanner
    from library.formats.text import html_to_text

    subjects = [f"Subject {n}" for n in range(40)]
    planner = RecordPlanner(1, subjects, {"": [0]}, ["Police"])
    with path.open("wb") as out:
        for number in range(count):
            planned = planner.plan(False)
            marc = pymarc.Record(force_utf8=True)
            marc.add_field(pymarc.Field(tag="001", data=f"bench{number}"))

            def field(tag, *pairs, indicators=("0", "0"), marc=marc):
                subfields = [pymarc.Subfield(code, value) for code, value in pairs if value]
                if subfields:
                    marc.add_field(
                        pymarc.Field(
                            tag=tag, indicators=pymarc.Indicators(*indicators), subfields=subfields
                        )
                    )

            for index, (family, given, is_org) in enumerate(planned.contributors):
                tag = ("110" if is_org else "100") if index == 0 else ("710" if is_org else "700")
                field(tag, ("a", f"{family}, {given}" if given else family), ("4", "aut"))
            title, _, subtitle = planned.title.partition(": ")
            field("245", ("a", title), ("b", subtitle))
            field(
                "264",
                ("a", planned.place_of_publication),
                ("b", planned.publisher),
                ("c", str(planned.publication_year)),
                indicators=(" ", "1"),
            )
            field("520", ("a", html_to_text(planned.abstract)))
            for term in planned.subjects:
                field("650", ("a", term), indicators=(" ", "7"))
            for term in planned.keywords:
                field("653", ("a", term))
            if planned.journal_title:
                field(
                    "773",
                    ("t", planned.journal_title),
                    ("g", f"Vol. {planned.volume}, no. {planned.issue}, p. {planned.page_range}"),
                    ("x", planned.issn),
                )
            out.write(marc.as_marc())


def run(options) -> list[str]:
    count = options.records or DEFAULT_COUNT
    database = ROOT / "var" / "bench-import.sqlite3"
    marc_file = ROOT / "var" / f"bench-import-{count}.mrc"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    if not marc_file.exists():
        write_marc_file(marc_file, count)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    manage("manage.py", "migrate", "--no-input", env=env)
    manage("manage.py", "load_demo_content", env=env)
    workers = min(2, os.cpu_count() or 1)
    timings = json.loads(manage("-c", CHILD, str(marc_file), str(workers), env=env))
    load_before, load_after = timings["load"]
    total, total_cpu = timings["total"]
    import_seconds, import_cpu = timings["import"]
    rows = [
        f"{count:,} MARC 21 records into an empty catalogue, indexed and prepared in {workers} "
        "processes beside the import (each chunk of 500 as soon as its batch is committed, "
        "read once for both stages). Budget: 250,000 records imported, indexed and prepared "
        f"in {BUDGET_SECONDS / 60:.0f} minutes (about {250_000 / BUDGET_SECONDS:,.0f} records "
        f"per second end to end). Result: {timings['summary']}. Load average (1 minute) "
        f"{load_before:.1f} when the import began, {load_after:.1f} when preparing ended: on "
        "a shared machine the seconds stretch with the load, the CPU seconds much less.",
        "",
        "| stage | seconds | records per second | CPU seconds | records per CPU second |",
        "|---|---:|---:|---:|---:|",
        f"| import | {import_seconds:.1f} | {count / import_seconds:,.0f} | {import_cpu:.1f} | "
        f"{count / import_cpu:,.0f} |",
    ]
    for label, key in (
        ("reading records to index and prepare", "load_cpu"),
        ("index", "index_cpu"),
        ("prepare", "prepare_cpu"),
    ):
        rows.append(
            f"| {label} | (beside the import) | | {timings[key]:.1f} | "
            f"{count / timings[key]:,.0f} |"
        )
    rows += [
        f"| index and prepare left when the import ended | {timings['tail']:.1f} | | | |",
        f"| all three, end to end | {total:.1f} | {count / total:,.0f} | {total_cpu:.1f} | "
        f"{count / total_cpu:,.0f} |",
        "",
    ]
    if count == DEFAULT_COUNT:
        verdict = "within" if total <= BUDGET_SECONDS else "over"
        rows.append(
            f"End to end {total / 60:.1f} minutes for {count:,} records, {count / total:,.0f} "
            f"records per second: {verdict} the {BUDGET_SECONDS / 60:.0f}-minute budget "
            f"(load average {load_before:.1f} to {load_after:.1f})."
        )
    else:
        scale = DEFAULT_COUNT / count
        # On two free cores the wall time is at least this process's CPU time (the import and
        # feeding the workers) and at least half of all the CPU time.
        estimate = max(timings["main"], total_cpu / 2) * scale
        verdict = "within" if estimate <= BUDGET_SECONDS else "over"
        rows.append(
            f"Extrapolated linearly to {DEFAULT_COUNT:,} records (not measured): "
            f"{total * scale / 60:.1f} minutes at this run's rates; with two free cores about "
            f"{estimate / 60:.1f} minutes, {DEFAULT_COUNT / estimate:,.0f} records per second "
            f"({verdict} the {BUDGET_SECONDS / 60:.0f}-minute budget; the larger of this "
            "process's CPU seconds and half of all the CPU seconds, so lock waits and an "
            "uneven end are not counted)."
        )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return ["## Importing MARC 21 records (SQLite, from empty)", "", *rows]
