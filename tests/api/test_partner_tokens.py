"""Partner tokens: issued once by a command, stored as a digest, refused once revoked."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import APIToken

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

SECRET_URL = "/api/v3/catalogue/records/{}"
ENQUIRY = {
    "name": "Portal User",
    "email": "portal.user@example.org",
    "profession": "safeguarding-partnership",
    "nation": "england",
    "question": "Which case reviews cover neglect of babies since 2018?",
    "consent": True,
}


def create_token(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_partner_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_prints_the_token_once_and_stores_only_its_digest(catalogue):
    plaintext, note = create_token("--name", "Northshire portal")
    assert plaintext.startswith("wagtail_")
    token = APIToken.objects.get()
    assert plaintext not in (token.key_hash, token.prefix) and token.key_hash
    assert token.key_hash == APIToken.hash_token(plaintext)
    assert "Keep it secret" in note and plaintext not in note
    assert token.user.username == "partner-northshire-portal"
    assert not token.user.has_usable_password()
    assert list(token.user.groups.values_list("name", flat=True)) == ["Partners"]


def test_a_partner_token_unlocks_records_restricted_to_partners(client, catalogue):
    plaintext, _ = create_token("--name", "Northshire portal")
    url = SECRET_URL.format(catalogue["secret"].pk)
    assert client.get(url).status_code == 404
    assert client.get(url, headers=bearer(plaintext)).status_code == 200


def test_extra_groups_must_exist(catalogue):
    with pytest.raises(CommandError, match="no group called"):
        create_token("--name", "Portal", "--group", "Review panel")
    Group.objects.create(name="Review panel")
    create_token("--name", "Portal", "--group", "Review panel")
    assert set(APIToken.objects.get().user.groups.values_list("name", flat=True)) == {
        "Partners",
        "Review panel",
    }


def test_a_revoked_token_is_refused_at_once_never_read_as_anonymous(client, catalogue):
    plaintext, _ = create_token("--name", "Northshire portal")
    url = SECRET_URL.format(catalogue["secret"].pk)
    assert client.get(url, headers=bearer(plaintext)).status_code == 200
    out = io.StringIO()
    call_command("revoke_partner_token", "--name", "Northshire portal", stdout=out)
    assert "Revoked" in out.getvalue()
    for path in (url, "/api/v3/catalogue/search", "/api/v3/subjects/", "/api/v3/reading-lists/"):
        response = client.get(path, headers=bearer(plaintext))
        assert response.status_code == 401, path
        assert response["Content-Type"] == "application/problem+json"
        assert "revoked" in response.json()["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoke_by_prefix_and_nothing_to_revoke(catalogue):
    create_token("--name", "First portal")
    token = APIToken.objects.get()
    call_command("revoke_partner_token", "--prefix", token.prefix, stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError, match="No live token"):
        call_command("revoke_partner_token", "--prefix", token.prefix, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--name or --prefix"):
        call_command("revoke_partner_token", stdout=io.StringIO())


def test_a_wrong_or_malformed_authorization_header_is_a_401(client, catalogue):
    for header in ("Bearer wagtail_notarealtoken", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"):
        response = client.get("/api/v3/catalogue/search", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["status"] == 401


def test_a_token_of_a_deactivated_partner_is_refused(client, catalogue):
    plaintext, _ = create_token("--name", "Northshire portal")
    user = APIToken.objects.get().user
    user.is_active = False
    user.save()
    assert client.get("/api/v3/catalogue/search", headers=bearer(plaintext)).status_code == 401


def test_only_tokens_created_with_can_submit_enquiries_may_post_enquiries(client, catalogue):
    reader, _ = create_token("--name", "Reader portal")
    submitter, _ = create_token("--name", "Submitting portal", "--can-submit-enquiries")
    post = lambda token: client.post(  # noqa: E731
        "/api/v3/enquiries/", ENQUIRY, content_type="application/json", headers=bearer(token)
    )
    assert post(reader).status_code == 403
    assert post(submitter).status_code == 201


def test_the_enquiry_right_belongs_to_the_token_not_the_partner(client, catalogue):
    post = lambda token: client.post(  # noqa: E731
        "/api/v3/enquiries/", ENQUIRY, content_type="application/json", headers=bearer(token)
    )
    submitting, _ = create_token("--name", "Northshire portal", "--can-submit-enquiries")
    reissued, _ = create_token("--name", "Northshire portal")
    assert post(reissued).status_code == 403
    assert post(submitting).status_code == 201
    call_command("revoke_partner_token", "--name", "Northshire portal", stdout=io.StringIO())
    assert post(submitting).status_code == 401
    fresh, _ = create_token("--name", "Northshire portal")
    assert post(fresh).status_code == 403
