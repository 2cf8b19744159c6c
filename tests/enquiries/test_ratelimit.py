"""The fixed-window limiter the enquiry form uses (the API uses ninja's)."""

from django.core.cache import cache
from django.test import RequestFactory

from shelfmark_core.ratelimit import client_ip, hit


def test_hits_within_the_limit_are_allowed_and_the_next_is_refused():
    cache.clear()
    results = [hit("test:client-a", limit=3, window=60) for _ in range(4)]
    assert [result.allowed for result in results] == [True, True, True, False]
    assert results[2].remaining == 0
    assert 1 <= results[3].retry_after <= 60
    assert hit("test:client-b", limit=3, window=60).allowed  # keys are independent


def test_client_ip_trusts_forwarded_for_only_behind_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4"
    )
    settings.SHELFMARK_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.SHELFMARK_TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.4"
