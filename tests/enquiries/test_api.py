"""POST /api/v3/enquiries/ for partner portals: 201, 422 per field, 401/403, 429."""

import pytest
from wagtail.models import APIToken

from enquiries.models import Enquiry, Source
from library.partners import issue_partner_token
from tests.factories.enquiries import make_user

pytestmark = pytest.mark.django_db

URL = "/api/v3/enquiries/"
VALID = {
    "name": "Portal User",
    "email": "portal.user@example.org",
    "organisation": "Example Partnership",
    "profession": "safeguarding-partnership",
    "nation": "scotland",
    "topic": "Case reviews",
    "question": "Which significant case reviews cover neglect since 2018?",
    "consent": True,
}


@pytest.fixture
def token():
    return issue_partner_token("Portal", can_submit_enquiries=True).plaintext


def post(client, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_valid_enquiry_is_stored_with_a_reference(client, token):
    response = post(client, VALID, token)
    assert response.status_code == 201
    body = response.json()
    enquiry = Enquiry.objects.get()
    assert body == {"reference": enquiry.reference, "status": "received"}
    assert enquiry.source == Source.API
    assert enquiry.submitted_by.username == "partner-portal"


def test_invalid_fields_get_a_message_each_and_nothing_is_stored(client, token):
    body = {**VALID, "email": "nope", "profession": "wizard", "consent": False}
    del body["question"]
    response = post(client, body, token)
    assert response.status_code == 422
    errors = {tuple(error["loc"]): error["msg"] for error in response.json()["errors"]}
    assert "correct format" in errors[("body", "email")]
    assert "Choose one of the professions listed" in errors[("body", "profession")]
    assert errors[("body", "question")] == "Enter your question."
    assert "Tick the box" in errors[("body", "consent")]
    assert Enquiry.objects.count() == 0


def test_wrongly_typed_json_is_a_422_not_a_500(client, token):
    response = post(client, {**VALID, "name": ["a", "list"]}, token)
    assert response.status_code == 422


def test_no_token_is_401_and_a_token_without_permission_is_403(client):
    assert post(client, VALID).status_code == 401
    unprivileged = APIToken.create_token(user=make_user("reader"), name="Reader")[1]
    assert post(client, VALID, unprivileged).status_code == 403
    assert Enquiry.objects.count() == 0


def test_too_many_submissions_are_429_with_retry_after(client, token, settings):
    settings.ENQUIRIES_API_RATE_LIMIT = (1, 3600)
    assert post(client, VALID, token).status_code == 201
    response = post(client, VALID, token)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Enquiry.objects.count() == 1
