"""The partner API under load: catalogue/search with every facet, and record detail.

Serves the bench database with gunicorn (2 sync workers, 127.0.0.1, a free port) and drives it
from this process with wrk when installed (`apt-get install wrk`), else with a small threaded
http.client load generator. Generates records first when the database holds fewer than
--records (default 250,000). Each endpoint runs for BENCH_API_SECONDS (default 15) after a
warm-up; rate limits are lifted for the server so that they do not shape the numbers.
"""

import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from home.models import HomePage
from library.models import CatalogueRecord, LibraryIndexPage
from library.record_details import forget_prepared_details, prepare_record_details
from library.search.indexing import rebuild_index
from tests.bench.timing import percentile, section_title

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RECORDS = 250_000
SECONDS = int(os.environ.get("BENCH_API_SECONDS", "15"))
CONNECTIONS = 8
POPULAR_RECORDS = 100
# Records whose prepared details are dropped for the not-yet-prepared row (more than it reads).
UNPREPARED_RECORDS = 8000
WORDS = [
    "child",
    "neglect",
    "safeguarding",
    "abuse",
    "health",
    "school",
    "police",
    "review",
    "family",
    "online",
    "sexual",
    "domestic",
    "adolescent",
    "toddler",
    "grooming",
    "trauma",
    "mental",
    "parents",
    "care",
    "protection",
    "violence",
    "exploitation",
    "bullying",
    "disability",
    "fostering",
    "adoption",
    "poverty",
    "drugs",
    "alcohol",
    "homeless",
]
FILTERS = ["", "&type=report", "&type=book", "&nation=england", "&year_from=2000",
           "&sort=newest", "&type=case-review", "&availability=online"]  # fmt: skip
OFFSETS = range(0, 300, 20)
# Searches partners' widgets repeat (whatever the search engine keeps between searches helps).
POPULAR_SEARCHES = [
    "q=child",
    "q=neglect",
    "q=safeguarding&type=report",
    "q=abuse&nation=england",
    "q=%22child+protection%22",
    "q=domestic+abuse&year_from=2005",
    "q=neglect+AND+school",
    "q=adolescent",
    "q=health&sort=newest",
    "q=online+-sexual",
    "q=review&type=case-review&nation=wales",
    "",
    "type=book",
    "q=grooming&limit=50",
    "q=title%3Aneglect",
    "q=toddler&year_from=2000&year_to=2015",
]
WRK_SCRIPT = """
local paths = {%s}
local counter = 0
local threads = 0
setup = function(thread)
  thread:set("first", threads * math.floor(#paths / 2))
  threads = threads + 1
end
init = function(args)
  counter = first or 0
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, \\"errors\\": %%d, "
    .. "\\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f}\\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_catalogue(count: int, *, details: bool = True) -> int:
    """Migrate, load the demo site if there is no catalogue yet (a catalogue another bench
    built, with no home page, is used as it is), generate records up to `count` (indexed) and,
    with `details`, prepare any record details that are missing (a database made before they
    existed has none)."""
    call_command("migrate", verbosity=0)
    if not HomePage.objects.exists() and not LibraryIndexPage.objects.exists():
        call_command("load_demo_content", records=0, stdout=io.StringIO())
    existing = CatalogueRecord.objects.live().count()
    if existing < count:
        call_command(
            "generate_demo_records",
            count=count - existing,
            seed=existing + 1,
            no_index=True,
            stdout=io.StringIO(),
        )
        rebuild_index()
    if details:
        call_command("prepare_record_details", "--no-progress", stdout=io.StringIO())
    return CatalogueRecord.objects.live().count()


def start_gunicorn(port: int) -> subprocess.Popen:
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        # Lifted, over a 1 s window: ninja's throttle keeps each request's time for the window,
        # so a huge allowance over 60 s would make the limiter's history, not the API, the cost.
        "API_RATE_LIMIT_ANONYMOUS": "1000000/1",
    }
    if database["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    return subprocess.Popen(  # noqa: S603 - our own server with fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )


def wait_until_ready(base: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/v3/catalogue/search?limit=1", timeout=60):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within the time limit")


def warm_up(base: str, paths: list[str], rounds: int = 3) -> None:
    """Touch every path a few times, so each worker has loaded its search columns."""
    for _ in range(rounds):
        for path in paths[:50]:
            with urllib.request.urlopen(base + path, timeout=60):  # noqa: S310
                pass


def load_with_wrk(base: str, paths: list[str]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(path) for path in paths))
    try:
        completed = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{SECONDS}s",
                "--timeout=10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def load_with_threads(base: str, paths: list[str]) -> dict:
    """A plain load generator: CONNECTIONS keep-alive connections for SECONDS seconds."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def worker(offset: int) -> None:
        conn = HTTPConnection(host, int(port), timeout=10)
        index = offset
        mine, failed = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", paths[index % len(paths)])
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except OSError:
                failed += 1
                conn.close()
                conn = HTTPConnection(host, int(port), timeout=10)
            mine.append((time.perf_counter() - started) * 1000)
            index += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "errors": errors[0],
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "mean": statistics.fmean(latencies) if latencies else 0,
    }


def row(label: str, result: dict, target: int | None) -> str:
    # Only answered requests count: a refused one (429, 5xx) is quick and proves nothing.
    rate = (result["requests"] - result["errors"]) / result["seconds"]
    verdict = "–" if target is None else f"{target} ({'yes' if rate >= target else 'no'})"
    return (
        f"| {label} | {result['requests']:,} | {rate:,.0f} | {verdict} | "
        f"{result['p50']:.1f} | {result['p95']:.1f} | {result['p99']:.1f} | {result['errors']} |"
    )


def distinct_searches() -> list[str]:
    """Word × filter × page combinations, shuffled: more than a run sends, so none repeats."""
    paths = [
        f"/api/v3/catalogue/search?q={word}{extra}&offset={offset}"
        for word in WORDS
        for extra in FILTERS
        for offset in OFFSETS
    ]
    random.Random(2).shuffle(paths)
    return paths


def run(options) -> list[str]:
    total = ensure_catalogue(options.records or DEFAULT_RECORDS)
    ids = list(CatalogueRecord.objects.live().values_list("pk", flat=True))
    random.Random(1).shuffle(ids)
    cold_details = [f"/api/v3/catalogue/records/{pk}" for pk in ids]
    popular_details = cold_details[-POPULAR_RECORDS:]
    unprepared_ids = ids[-POPULAR_RECORDS - UNPREPARED_RECORDS : -POPULAR_RECORDS]
    unprepared_details = [f"/api/v3/catalogue/records/{pk}" for pk in unprepared_ids]
    cold_searches = distinct_searches()
    popular_searches = [f"/api/v3/catalogue/search?{query}" for query in POPULAR_SEARCHES]
    connection.close()  # let the server have the database to itself

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        wait_until_ready(base)
        load = load_with_wrk if shutil.which("wrk") else load_with_threads
        generator = "wrk" if shutil.which("wrk") else "a threaded http.client client"
        # Warm-up: each worker loads its search columns and citation styles (not these pages).
        warm_up(base, [*popular_searches, *popular_details])
        results = [
            ("catalogue/search with facets, distinct queries", load(base, cold_searches), 150),
            ("catalogue/search with facets, popular queries", load(base, popular_searches), 150),
            ("catalogue/records/{id}, distinct records", load(base, cold_details), 400),
            (
                f"catalogue/records/{{id}}, {POPULAR_RECORDS} popular records",
                load(base, popular_details),
                400,
            ),
        ]
        forget_prepared_details(unprepared_ids)
        connection.close()
        results.append(
            (
                "catalogue/records/{id}, distinct records not yet prepared (built on request)",
                load(base, unprepared_details),
                None,
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        started = time.perf_counter()
        prepare_record_details(unprepared_ids)
        prepare_seconds = time.perf_counter() - started
    return [
        section_title("Partner API under load"),
        "",
        f"{total:,} live records on {connection.vendor}; gunicorn with 2 sync workers on "
        f"127.0.0.1, driven by {generator} from a second process with {CONNECTIONS} "
        f"connections for {SECONDS} s per row, after a warm-up; rate limits lifted; req/s "
        "counts answered requests only. Every search counts all seven facets. *Distinct* rows "
        "never repeat a request within the run "
        f"({len(cold_searches):,} searches: {len(WORDS)} words × {len(FILTERS)} filters × "
        f"{len(OFFSETS)} pages; every record once), though the pages of one search share its "
        "match and facet counts in each worker, as when a user pages through results; *popular* "
        f"rows repeat {len(popular_searches)} searches or {POPULAR_RECORDS} records, as "
        "partners' widgets do (the API keeps no search answers of its own: repeats are as fast "
        "as the search engine's own caches make them). Record "
        "details are prepared when a record is indexed (`prepare_record_details` for a bulk "
        "load), so records are served from their prepared detail; the last row drops "
        f"{UNPREPARED_RECORDS:,} records' prepared details first, to show a record published "
        "a moment ago whose preparation has not run yet. Preparing those "
        f"{UNPREPARED_RECORDS:,} again afterwards took {prepare_seconds:.0f} s in one process "
        f"({UNPREPARED_RECORDS / prepare_seconds:,.0f} records per second).",
        "",
        "| endpoint | requests | req/s | target req/s (met) | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(row(label, result, target) for label, result, target in results),
    ]
