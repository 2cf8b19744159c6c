"""The OpenAPI document describes every published operation accurately: Schemathesis generates
requests from it and checks every answer (no 500s, documented status codes, bodies that match
their schemas). Only the partner endpoints are published. The docs page needs no CDN."""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from library.partners import issue_partner_token
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

PARTNER_PATHS = r"^/api/v3/(catalogue|subjects|reading-lists|learning)/"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Loaded once when the tests are collected: generating the document needs no database.
# Every published operation, POST enquiries/ included.
schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application())


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
def test_every_operation_conforms_to_the_openapi_document(case, catalogue, connection_kept_open):
    # Reads run anonymously; enquiries are sent with a token that may submit them.
    headers = None
    if case.method.upper() == "POST":
        headers = bearer(issue_partner_token("Fuzzing portal", can_submit_enquiries=True).plaintext)
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_only_the_partner_endpoints_are_published(client):
    document = client.get("/api/v3/openapi.json").json()
    assert {path.split("/")[3] for path in document["paths"]} == {
        "catalogue",
        "subjects",
        "reading-lists",
        "enquiries",
        "learning",
    }
    for stock in ("documents/", "pages/", "images/", "redirects/", "sites/", "whoami/"):
        response = client.get(f"/api/v3/{stock}")
        assert response.status_code == 404, stock
        assert response["Content-Type"] == "application/problem+json"


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
        "/api/v3/learning/briefings",
        "/api/v3/learning/briefings/{briefing_id}",
        "/api/v3/learning/nations/{nation}",
        "/api/v3/learning/recommendations",
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
