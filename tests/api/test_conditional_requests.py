"""ETag and Last-Modified with 304 Not Modified, never shared between callers who see
different records."""

import time

import pytest
from django.utils.http import http_date

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoints(catalogue):
    guidance = catalogue["guidance"].pk
    return [
        "/api/v3/catalogue/search?q=neglect",
        f"/api/v3/catalogue/records/{guidance}",
        f"/api/v3/catalogue/records/{guidance}/export?format=ris",
        f"/api/v3/catalogue/records/{guidance}/citation?style=apa",
        "/api/v3/catalogue/new",
        "/api/v3/subjects/",
        "/api/v3/reading-lists/",
    ]


def test_every_read_endpoint_answers_304_to_its_own_etag(client, endpoints):
    for url in endpoints:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["ETag"].startswith('"'), url
        assert "Authorization" in first["Vary"], url
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_last_modified_answers_304_to_if_modified_since(client, catalogue):
    url = f"/api/v3/catalogue/records/{catalogue['guidance'].pk}"
    first = client.get(url)
    last_modified = first["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": http_date(0)}).status_code == 200


def test_a_partners_copy_never_validates_for_an_anonymous_caller(client, catalogue, partner_token):
    url = "/api/v3/catalogue/search?q=neglect"
    partner = client.get(url, headers=bearer(partner_token))
    anonymous = client.get(url)
    assert partner["ETag"] != anonymous["ETag"]
    assert partner["Cache-Control"] == "private, no-cache"
    replay = client.get(url, headers={"If-None-Match": partner["ETag"]})
    assert replay.status_code == 200
    assert "Neglect panel minutes (partners only)" not in replay.content.decode()


def test_the_etag_changes_when_the_record_is_republished(client, catalogue):
    record = catalogue["guidance"]
    url = f"/api/v3/catalogue/records/{record.pk}"
    before = client.get(url)["ETag"]
    record.title = "Neglect: recognising the signs in infants"
    record.save_revision().publish()
    after = client.get(url, headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.json()["title"] == "Neglect: recognising the signs in infants"
    search_etag = client.get("/api/v3/catalogue/search?q=infants")
    assert search_etag.json()["count"] == 1


def test_search_etag_changes_when_the_index_does(client, catalogue):
    url = "/api/v3/catalogue/search"
    before = client.get(url)
    catalogue["book"].unpublish()
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after.json()["count"] == before.json()["count"] - 1


def test_if_modified_since_never_validates_another_callers_list(client, catalogue, partner_token):
    """A date cannot say who it was issued to: answers that differ by caller carry no
    Last-Modified, so an anonymous request replaying a partner's copy's date gets the
    anonymous answer, not 304."""
    later = http_date(time.time() + 3600)
    for url in ("/api/v3/catalogue/search?q=neglect", "/api/v3/catalogue/new"):
        partner = client.get(url, headers=bearer(partner_token))
        assert "Neglect panel minutes (partners only)" in partner.content.decode(), url
        assert "Last-Modified" not in partner, url
        anonymous = client.get(url, headers={"If-Modified-Since": later})
        assert anonymous.status_code == 200, url
        assert "Neglect panel minutes (partners only)" not in anonymous.content.decode(), url


def test_a_record_is_the_same_for_everyone_who_may_see_it_so_dates_still_validate(
    client, catalogue, partner_token
):
    url = f"/api/v3/catalogue/records/{catalogue['guidance'].pk}"
    partner = client.get(url, headers=bearer(partner_token))
    replay = client.get(url, headers={"If-Modified-Since": partner["Last-Modified"]})
    assert replay.status_code == 304
    # A restricted record is a 404 to the anonymous caller whatever dates it sends.
    secret = f"/api/v3/catalogue/records/{catalogue['secret'].pk}"
    last_modified = client.get(secret, headers=bearer(partner_token))["Last-Modified"]
    assert client.get(secret, headers={"If-Modified-Since": last_modified}).status_code == 404
