"""GET /api/v3/catalogue/records/{id}, its exports and its citations."""

import json

import pytest
from lxml import etree

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def record_url(record, suffix=""):
    return f"/api/v3/catalogue/records/{record.pk}{suffix}"


def test_record_detail_has_every_field_subjects_keywords_documents_citation_and_exports(
    client, catalogue
):
    response = client.get(record_url(catalogue["guidance"]))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Neglect: recognising the signs in babies"
    assert body["record_type"] == "guidance" and body["record_type_label"] == "Guidance"
    assert body["authors"] == ["Munro, E. R.", "Lushey, C."]
    assert body["contributors"][0]["family_name"] == "Munro"
    assert (body["publisher"], body["place_of_publication"], body["year"]) == (
        "NSPCC",
        "London",
        2019,
    )
    assert body["subjects"] == [
        {"id": catalogue["neglect"].pk, "name": "Neglect", "slug": "neglect"},
        {"id": catalogue["babies"].pk, "name": "Neglect of babies", "slug": "neglect-of-babies"},
    ]
    assert body["keywords"] == ["health visiting", "home visits"]
    [document] = body["documents"]
    assert document["title"] == "Full report" and document["file_type"] == "PDF"
    assert document["size"] > 0 and document["url"].startswith("http://testserver/documents/")
    assert client.get(document["url"]).status_code == 200
    assert body["case_review"] is None
    assert body["date_added"] == catalogue["guidance"].date_added.isoformat()
    assert body["citation"]["style"] == "harvard-cite-them-right"
    assert body["citation"]["text"].startswith("Munro, E.R. and Lushey, C. (2019)")
    assert "<i>Neglect: recognising the signs in babies</i>" in body["citation"]["html"]
    assert [link["format"] for link in body["exports"]] == [
        "ris",
        "bibtex",
        "csl-json",
        "marcxml",
        "dc",
    ]
    assert body["abstract"] == "<p>Summarises learning for practitioners.</p>"


def test_case_review_fields_appear_on_case_reviews(client, catalogue):
    review = client.get(record_url(catalogue["review"])).json()["case_review"]
    assert review["review_type"] == "serious-case-review"
    assert review["board"]["name"] == "Northshire Safeguarding Children Partnership"
    assert (review["incident_year"], review["child_age_band"]) == (2014, "under-1")
    assert review["themes"] == [
        {"id": catalogue["neglect"].pk, "name": "Neglect", "slug": "neglect"}
    ]
    assert review["agencies"] == ["Police"]
    assert review["recommendations"] == [
        {"text": "Health visitors should record every visit.", "agency": None}
    ]


def test_a_restricted_record_is_the_same_404_as_a_missing_one_except_for_partners(
    client, catalogue, partner_token
):
    hidden = client.get(record_url(catalogue["secret"]))
    missing = client.get("/api/v3/catalogue/records/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden["Content-Type"] == "application/problem+json"
    for suffix in ("/export?format=ris", "/citation"):
        assert client.get(record_url(catalogue["secret"], suffix)).status_code == 404
    partner = client.get(record_url(catalogue["secret"]), headers=bearer(partner_token))
    assert partner.status_code == 200
    assert partner.json()["title"] == "Neglect panel minutes (partners only)"


def test_an_unpublished_record_is_a_404(client, catalogue):
    catalogue["book"].unpublish()
    assert client.get(record_url(catalogue["book"])).status_code == 404


EXPORT_CASES = [
    (
        "ris",
        "application/x-research-info-systems",
        lambda text: "TI  - Neglect: recognising" in text,
    ),
    (
        "bibtex",
        "application/x-bibtex",
        lambda text: "title = {Neglect: recognising" in text.replace("{{", "{"),
    ),
    (
        "csl-json",
        "application/vnd.citationstyles.csl+json",
        lambda text: json.loads(text)[0]["title"].startswith("Neglect"),
    ),
    (
        "marcxml",
        "application/marcxml+xml",
        lambda text: etree.fromstring(text.encode()) is not None,
    ),
    ("dc", "application/xml", lambda text: "Neglect: recognising the signs in babies" in text),
]


def test_exports_come_with_their_media_types(client, catalogue):
    for format_name, media_type, check in EXPORT_CASES:
        response = client.get(record_url(catalogue["guidance"], "/export"), {"format": format_name})
        assert response.status_code == 200, format_name
        assert response["Content-Type"] == f"{media_type}; charset=utf-8"
        assert check(response.content.decode()), format_name
        assert response["ETag"]


def test_an_unknown_export_format_or_none_is_a_422(client, catalogue):
    assert (
        client.get(record_url(catalogue["guidance"], "/export"), {"format": "docx"}).status_code
        == 422
    )
    assert client.get(record_url(catalogue["guidance"], "/export")).status_code == 422


CITATION_CASES = [
    ("apa", "Munro, E. R., & Lushey, C. (2019)."),
    ("chicago-author-date", "Munro, E. R., and C. Lushey. 2019."),
    ("vancouver-nlm", "Munro ER, Lushey C."),
]


def test_citation_in_a_chosen_style(client, catalogue):
    for style, expected in CITATION_CASES:
        response = client.get(record_url(catalogue["guidance"], "/citation"), {"style": style})
        assert response.status_code == 200
        body = response.json()
        assert body["style"] == style and expected in body["text"], body


def test_citation_as_html_or_plain_text(client, catalogue):
    url = record_url(catalogue["guidance"], "/citation")
    html = client.get(url, {"output": "html"})
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert "<i>Neglect: recognising the signs in babies</i>" in html.content.decode()
    plain = client.get(url, {"output": "plain", "style": "apa"})
    assert plain["Content-Type"] == "text/plain; charset=utf-8"
    assert plain.content.decode().startswith("Munro, E. R., & Lushey, C. (2019).")
    unknown = client.get(url, {"style": "oxford"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["query", "style"]


def test_citations_follow_the_record_when_it_is_republished(client, catalogue):
    record = catalogue["guidance"]
    default, apa = record_url(record, "/citation"), record_url(record, "/citation?style=apa")
    assert "(2019)" in client.get(default).json()["text"]
    assert "(2019)" in client.get(apa).json()["text"]
    record.publication_year = 2020
    record.save_revision().publish()
    assert "(2020)" in client.get(default).json()["text"]
    assert "(2020)" in client.get(apa).json()["text"]


def test_impossible_ids_are_a_problem_not_a_server_error(client, catalogue):
    for bad_id in ("0", "-3", "abc", "99999999999999999999"):
        response = client.get(f"/api/v3/catalogue/records/{bad_id}")
        assert response.status_code in (404, 422), bad_id
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v3/nothing-here", "/api/v3/catalogue/recordz/1"])
def test_an_unknown_api_address_is_a_json_404_not_the_sites_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert path in response.json()["detail"]
    assert "/api/v3/docs" in response.json()["detail"]
