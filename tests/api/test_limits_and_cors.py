"""Rate limits per client IP and per token (429 with Retry-After), and the CORS allow-list."""

import pytest

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

SEARCH = "/api/v3/catalogue/search"


def test_anonymous_callers_are_limited_per_ip(client, catalogue, settings):
    settings.SHELFMARK_API_RATE_LIMIT_ANONYMOUS = (3, 60)
    for _ in range(3):
        assert client.get(SEARCH).status_code == 200
    limited = client.get("/api/v3/subjects/")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 0 < int(limited["Retry-After"]) <= 60
    assert "Try again in" in limited.json()["detail"]
    # Another address has its own allowance.
    assert client.get(SEARCH, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_each_token_has_its_own_allowance(client, catalogue, partner_token, settings):
    settings.SHELFMARK_API_RATE_LIMIT_TOKEN = (2, 60)
    settings.SHELFMARK_API_RATE_LIMIT_ANONYMOUS = (2, 60)
    assert client.get(SEARCH, headers=bearer(partner_token)).status_code == 200
    assert client.get(SEARCH, headers=bearer(partner_token)).status_code == 200
    assert client.get(SEARCH, headers=bearer(partner_token)).status_code == 429
    # The same address without the token is counted separately.
    assert client.get(SEARCH).status_code == 200


def test_allowed_origins_may_read_the_api_from_a_browser(client, catalogue, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://portal.example.org"]
    allowed = client.get(SEARCH, headers={"Origin": "https://portal.example.org"})
    assert allowed["Access-Control-Allow-Origin"] == "https://portal.example.org"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    preflight = client.options(
        SEARCH,
        headers={
            "Origin": "https://portal.example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    other = client.get(SEARCH, headers={"Origin": "https://elsewhere.example.com"})
    assert "Access-Control-Allow-Origin" not in other
    # The site's own pages are not opened to other origins.
    page = client.get("/", headers={"Origin": "https://portal.example.org"})
    assert "Access-Control-Allow-Origin" not in page


def test_requests_with_a_bad_token_are_limited_per_address(client, catalogue, settings):
    settings.SHELFMARK_API_RATE_LIMIT_ANONYMOUS = (2, 60)
    guess = {"Authorization": "Bearer wagtail_guessedtoken"}
    assert client.get(SEARCH, headers=guess).status_code == 401
    assert client.get(SEARCH, headers=guess).status_code == 401
    limited = client.get(SEARCH, headers=guess)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 0 < int(limited["Retry-After"]) <= 60
    # Guessing used up the address's allowance, with or without a token.
    assert client.get(SEARCH).status_code == 429
    assert client.get(SEARCH, headers=guess, REMOTE_ADDR="192.0.2.7").status_code == 401
