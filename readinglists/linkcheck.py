"""Checking the external links of reading lists and catalogue records.

Addresses are fetched in a small thread pool with a timeout each, HEAD first and GET when a
server refuses or mishandles HEAD. Threads only talk HTTP; the results are stored from the
calling thread, so no database connection is shared. A failure only becomes a warning after
`LinkCheck.BROKEN_AFTER_FAILURES` checks in a row, because sites go down for an afternoon.
"""

from __future__ import annotations

import datetime
import http.client
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.utils import timezone

from library.models import CatalogueRecord
from readinglists.models import LinkCheck, ReadingListPage

DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = 8
USER_AGENT = "Shelfmark link checker"


@dataclass(frozen=True)
class CheckResult:
    """What one address answered: an HTTP status, or an error when nothing usable came back."""

    url: str
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


@dataclass
class CheckSummary:
    """The outcome of one run, for the command's report."""

    checked: int = 0
    failing: list[LinkCheck] = field(default_factory=list)
    broken: list[LinkCheck] = field(default_factory=list)
    sources: dict[str, set[str]] = field(default_factory=dict)


class _KeepMethodRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the original method, so a HEAD stays a HEAD."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


_opener = urllib.request.build_opener(_KeepMethodRedirectHandler())


def _fetch(url: str, method: str, timeout: float) -> CheckResult:
    request = urllib.request.Request(  # noqa: S310 - only http(s) addresses reach here
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return CheckResult(url, response.status)
    except urllib.error.HTTPError as error:
        return CheckResult(url, error.code)
    except TimeoutError:
        return CheckResult(url, None, "timed out")
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return CheckResult(url, None, "timed out")
        return CheckResult(url, None, str(reason)[:255])
    except (http.client.HTTPException, OSError, ValueError) as error:
        return CheckResult(url, None, f"{type(error).__name__}: {error}"[:255])


def check_url(url: str, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Check one address: HEAD, then GET if HEAD did not succeed (unless it timed out)."""
    if not url.lower().startswith(("http://", "https://")):
        return CheckResult(url, None, "not an http(s) address")
    result = _fetch(url, "HEAD", timeout)
    if result.ok or result.error == "timed out":
        return result
    return _fetch(url, "GET", timeout)


def check_urls(
    urls: Iterable[str], timeout: float = DEFAULT_TIMEOUT, workers: int = DEFAULT_WORKERS
) -> list[CheckResult]:
    """Check many addresses, at most `workers` at a time, in the order given."""
    urls = list(urls)
    if not urls:
        return []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda url: check_url(url, timeout), urls))


def collect_links() -> dict[str, set[str]]:
    """Every external address to check, with where it appears ("Reading list: title")."""
    sources: dict[str, set[str]] = defaultdict(set)
    for page in ReadingListPage.objects.all():
        for url in page.external_urls():
            sources[url].add(f"Reading list: {page.title}")
    records = CatalogueRecord.objects.exclude(web_address="").values_list("web_address", "title")
    for url, title in records:
        if url.lower().startswith(("http://", "https://")):
            sources[url].add(f"Catalogue record: {title}")
    return dict(sources)


def record_results(
    results: Iterable[CheckResult], now: datetime.datetime | None = None
) -> list[LinkCheck]:
    """Store each result: a success resets the failure count, a failure adds one."""
    now = now or timezone.now()
    results = list(results)
    existing = LinkCheck.objects.in_bulk([r.url for r in results], field_name="url")
    stored = []
    for result in results:
        check = existing.get(result.url) or LinkCheck(url=result.url)
        check.last_status = result.status
        check.last_error = result.error
        check.last_checked = now
        if result.ok:
            check.consecutive_failures = 0
            check.last_ok = now
        else:
            check.consecutive_failures += 1
        check.save()
        stored.append(check)
    return stored


def run_link_checks(
    timeout: float = DEFAULT_TIMEOUT, workers: int = DEFAULT_WORKERS
) -> CheckSummary:
    """Check every link in lists and records and store the results."""
    sources = collect_links()
    checks = record_results(check_urls(sorted(sources), timeout=timeout, workers=workers))
    return CheckSummary(
        checked=len(checks),
        failing=[c for c in checks if c.consecutive_failures and not c.is_broken],
        broken=[c for c in checks if c.is_broken],
        sources=sources,
    )
