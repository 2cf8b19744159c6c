"""A small fixed-window rate limiter kept in Django's cache (Redis in production).

Any part of the site can limit anything by a key of its choosing::

    from shelfmark_core.ratelimit import client_ip, hit

    result = hit(f"enquiry-form:{client_ip(request)}", limit=10, window=600)
    if not result.allowed:
        response["Retry-After"] = str(result.retry_after)

Each key gets `limit` hits per window of `window` seconds; the window is fixed (aligned to
multiples of `window` since the epoch), so a client learns exactly when it may try again.
Keys are hashed before they reach the cache: IP addresses and tokens are personal or secret
data and never appear in cache keys. With the per-process local-memory cache (the default
without REDIS_URL) each process counts on its own, so the effective limit is per process.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import caches

from shelfmark_core.conf import app_setting

KEY_PREFIX = "ratelimit"


@dataclass(frozen=True)
class RateLimitResult:
    """The outcome of one hit: whether it is allowed, and how long until the window resets."""

    allowed: bool
    count: int
    limit: int
    retry_after: int

    @property
    def remaining(self) -> int:
        """Hits left in the current window (never negative)."""
        return max(self.limit - self.count, 0)


def hit(key: str, limit: int, window: int, cache_alias: str = "default") -> RateLimitResult:
    """Count one hit against `key`; allowed while at most `limit` hits fall in this window.

    `retry_after` is the number of whole seconds until the current window ends, at least 1;
    send it as the Retry-After header of a 429 response.
    """
    if limit < 1 or window < 1:
        raise ValueError("A rate limit needs a limit and a window of at least 1.")
    now = time.time()
    window_number = int(now // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"{KEY_PREFIX}:{window}:{digest}:{window_number}"
    cache = caches[cache_alias]
    # add() only creates the counter if missing, so concurrent first hits do not reset it;
    # incr() is atomic in Redis and in the local-memory cache.
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The counter expired between add() and incr(): this hit starts a new window.
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    retry_after = max(1, math.ceil((window_number + 1) * window - now))
    return RateLimitResult(
        allowed=count <= limit, count=count, limit=limit, retry_after=retry_after
    )


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For entry our proxies added.

    SHELFMARK_TRUSTED_PROXIES is how many proxies stand in front of the site (0 by default);
    only the entry the outermost trusted proxy wrote is believed, as a client can forge the rest.
    """
    trusted = app_setting("SHELFMARK_TRUSTED_PROXIES")
    if trusted > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
