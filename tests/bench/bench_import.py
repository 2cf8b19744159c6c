"""Importing a MARC 21 file into an empty catalogue: import, index and prepare, each timed.

The file is written from the demo generator's planned records (the same seeded catalogue
`generate_demo_records` writes), one MARC 21 record each, so the import reads what a real
supplier's file holds: titles, statements of responsibility, publication, ISBNs or host items,
subjects and keywords, abstracts. The import runs in a child process against a fresh SQLite file
of its own (var/bench-import.sqlite3), through the library functions the `import_records` command
calls, so each stage can be timed on its own.
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
from library.imports.writer import import_parent, import_records
from library.record_details import prepare_record_details_in_parallel
from library.search.indexing import CHUNK, index_records
from more_itertools import chunked

def cpu():
    # This process and its finished children (the preparing processes).
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )

data = open(sys.argv[1], "rb").read()
workers = int(sys.argv[2])
load_before = os.getloadavg()[0]
started, cpu_started = time.perf_counter(), cpu()
_format, entries = read_records(data)
report = import_records(entries, import_parent())
imported, cpu_imported = time.perf_counter(), cpu()
ids = sorted(set(report.written_ids))
for chunk in chunked(ids, CHUNK):
    index_records(chunk)
indexed, cpu_indexed = time.perf_counter(), cpu()
prepare_record_details_in_parallel(ids, workers=workers)
prepared, cpu_prepared = time.perf_counter(), cpu()
print(json.dumps({
    "summary": report.summary(),
    "import": [imported - started, cpu_imported - cpu_started],
    "index": [indexed - imported, cpu_indexed - cpu_imported],
    "prepare": [prepared - indexed, cpu_prepared - cpu_indexed],
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
    stages = ("import", "index", "prepare")
    total = sum(timings[stage][0] for stage in stages)
    total_cpu = sum(timings[stage][1] for stage in stages)
    load_before, load_after = timings["load"]
    rows = [
        f"{count:,} MARC 21 records into an empty catalogue; prepared with {workers} processes; "
        f"budget {BUDGET_SECONDS / 60:.0f} minutes for 250,000 (about "
        f"{250_000 / BUDGET_SECONDS:,.0f} records per second end to end). "
        f"Result: {timings['summary']}. Load average (1 minute) {load_before:.1f} when the "
        f"import began, {load_after:.1f} when preparing ended: on a shared machine the seconds "
        "stretch with the load, the CPU seconds (this process and its preparing processes) "
        "much less.",
        "",
        "| stage | seconds | records per second | CPU seconds | records per CPU second |",
        "|---|---:|---:|---:|---:|",
    ]
    for stage in stages:
        seconds, cpu_seconds = timings[stage]
        rows.append(
            f"| {stage} | {seconds:.1f} | {count / seconds:,.0f} | {cpu_seconds:.1f} | "
            f"{count / cpu_seconds:,.0f} |"
        )
    rows.append(
        f"| all three | {total:.1f} | {count / total:,.0f} | {total_cpu:.1f} | "
        f"{count / total_cpu:,.0f} |"
    )
    if count != DEFAULT_COUNT:
        scale = DEFAULT_COUNT / count
        prepare_cpu = timings["prepare"][1]
        rows += [
            "",
            f"Extrapolated linearly to {DEFAULT_COUNT:,} records (not measured): "
            f"{total * scale / 60:.1f} minutes at this run's rates; with two free cores, "
            f"{(total_cpu - prepare_cpu + prepare_cpu / workers) * scale / 60:.1f} minutes "
            "(import and index CPU seconds, plus the preparing CPU seconds shared by "
            f"{workers} processes).",
        ]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return ["## Importing MARC 21 records (SQLite, from empty)", "", *rows]
