"""OAI-PMH ListRecords (oai_dc, pages of 100) walked from the first page to the last with its
resumption tokens, as a harvester does: the last pages must cost what the first do.

Runs in a child process on a database file of its own (var/bench-oai.sqlite3), generated once
with `generate_demo_records` (--records, default 250,000 as issue 14 asks: about 4 minutes
to walk once generated), so the other benchmarks' databases are left alone.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RECORDS = 250_000
EDGE_PAGES = 10


def run(options) -> list[str]:
    count = options.records or DEFAULT_RECORDS
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'bench-oai.sqlite3'}",
    }
    completed = subprocess.run(  # noqa: S603 - this module, with a fixed argument
        [sys.executable, "-m", "tests.bench.bench_oai", str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    pages = found["pages"]
    first, last = pages[:EDGE_PAGES], pages[-EDGE_PAGES:]
    rows = [
        "| what | ms |",
        "|---|---:|",
        f"| first page | {pages[0]:.1f} |",
        f"| mean of the first {EDGE_PAGES} pages | {statistics.fmean(first):.1f} |",
        f"| median of all {len(pages)} pages | {statistics.median(pages):.1f} |",
        f"| mean of the last {EDGE_PAGES} pages | {statistics.fmean(last):.1f} |",
        f"| last page | {pages[-1]:.1f} |",
    ]
    return [
        "## OAI-PMH harvest",
        "",
        f"ListRecords with oai_dc over {found['records']:,} live records (sqlite, generated "
        f"synthetic records; in-process client, one harvester), walked page by page with the "
        f"resumption tokens: {found['harvested']:,} records in {found['seconds']:.0f} s "
        f"({found['harvested'] / found['seconds']:,.0f} records per second). The first page also "
        f"counts the list (`completeListSize`). Load average (1 minute) {found['load'][0]:.1f} "
        f"when the walk began, {found['load'][1]:.1f} when it ended: the criterion is that the "
        "last pages cost no more than the first, which load stretches alike.",
        "",
        *rows,
    ]


def harvest(count: int) -> dict:
    """Generate records up to `count` if needed, then walk the whole ListRecords list."""
    import io

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from lxml import etree

    from home.models import HomePage
    from library.models import CatalogueRecord

    call_command("migrate", verbosity=0)
    if not HomePage.objects.exists():
        call_command("load_demo_content", stdout=io.StringIO())
    existing = CatalogueRecord.objects.live().count()
    if existing < count:
        call_command(
            "generate_demo_records",
            count=count - existing,
            seed=existing + 1,
            no_index=True,
            stdout=io.StringIO(),
        )
    namespaces = {"oai": "http://www.openarchives.org/OAI/2.0/"}
    client = Client()
    arguments = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    pages: list[float] = []
    harvested = 0
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    while True:
        begin = time.perf_counter()
        response = client.get("/oai/", arguments)
        pages.append((time.perf_counter() - begin) * 1000)
        root = etree.fromstring(response.content)
        harvested += len(root.findall(".//oai:record", namespaces))
        token = root.find(".//oai:resumptionToken", namespaces)
        if token is None or not token.text:
            break
        arguments = {"verb": "ListRecords", "resumptionToken": token.text}
    return {
        "records": CatalogueRecord.objects.live().count(),
        "harvested": harvested,
        "seconds": time.perf_counter() - started,
        "pages": pages,
        "load": [load_before, os.getloadavg()[0]],
    }


if __name__ == "__main__":
    print(json.dumps(harvest(int(sys.argv[1]))))  # noqa: T201 - read by run() above
