"""The API docs put Shelfmark's own endpoints first, in described groups, and link to the
partner guide, which the site serves."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_groups_the_endpoints_in_order_with_descriptions(client):
    schema = client.get("/api/v3/openapi.json").json()
    groups = [tag["name"] for tag in schema["tags"]]
    assert groups == [
        "catalogue",
        "subjects",
        "reading lists",
        "learning from case reviews",
        "enquiries",
    ]
    assert all(tag["description"] for tag in schema["tags"])
    used = {
        tag
        for operation in schema["paths"].values()
        for op in operation.values()
        for tag in op["tags"]
    }
    assert used == set(groups)


def test_the_docs_description_links_to_the_served_guide_not_a_repository_path(client):
    description = client.get("/api/v3/openapi.json").json()["info"]["description"]
    assert "(/api/v3/guide/)" in description
    assert "docs/api.md" not in description


def test_the_guide_is_a_page_of_the_site(client):
    response = client.get("/api/v3/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>The partner API</h1>" in html
    assert "<table>" in html and "<code>GET catalogue/search</code>" in html
    assert 'href="/api/v3/docs/"' in html


def test_the_guide_is_hidden_with_the_docs(client, settings):
    settings.WAGTAILAPI_DOCS_ENABLED = False
    assert client.get("/api/v3/guide/").status_code == 404
