"""The OpenAPI document describes the partner endpoints accurately: Schemathesis generates
requests from it and checks every answer (no 500s, documented status codes, media types,
headers and bodies). The docs page needs no CDN."""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db

PARTNER_PATHS = r"^/api/v3/(catalogue|subjects|reading-lists)/"


# Loaded once when the tests are collected: generating the document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application()).include(
    path_regex=PARTNER_PATHS
)


@pytest.fixture
def connection_kept_open():
    """Keep the test's database connection across WSGI requests, as Django's test client does
    (otherwise the end of each request closes it, mid-transaction, on PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_partner_endpoints_conform_to_the_openapi_document(case, catalogue, connection_kept_open):
    case.call_and_validate()


def test_every_partner_endpoint_documents_its_errors_and_security(client):
    document = client.get("/api/v3/openapi.json").json()
    paths = {
        path: item for path, item in document["paths"].items() if re.match(PARTNER_PATHS, path)
    }
    assert set(paths) == {
        "/api/v3/catalogue/search",
        "/api/v3/catalogue/records/{record_id}",
        "/api/v3/catalogue/records/{record_id}/export",
        "/api/v3/catalogue/records/{record_id}/citation",
        "/api/v3/catalogue/new",
        "/api/v3/subjects/",
        "/api/v3/reading-lists/",
        "/api/v3/reading-lists/{list_id}",
    }
    for path, item in paths.items():
        operation = item["get"]
        assert {"200", "304", "401", "422", "429"} <= set(operation["responses"]), path
        assert "application/problem+json" in operation["responses"]["401"]["content"]
        assert operation["security"] == [{"PartnerToken": []}, {}]
    search = {
        parameter["name"] for parameter in paths["/api/v3/catalogue/search"]["get"]["parameters"]
    }
    assert search == {
        "q", "type", "subject", "nation", "review_type", "board", "availability",
        "year_from", "year_to", "sort", "limit", "offset",
    }  # fmt: skip
    export = paths["/api/v3/catalogue/records/{record_id}/export"]["get"]["responses"]["200"]
    assert "application/x-research-info-systems" in export["content"]
    assert document["components"]["securitySchemes"]["PartnerToken"]["scheme"] == "bearer"


def test_the_docs_page_loads_swagger_ui_from_this_site_not_a_cdn(client):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert all(source.startswith("/") for source in sources), sources
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
