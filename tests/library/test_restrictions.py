"""Restricted records are invisible to anyone not allowed: lists, related records, documents."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from wagtail.models import PageViewRestriction

from library.models import CatalogueRecord
from tests.factories.library import (
    CatalogueRecordFactory,
    RecordDocumentFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(library):
    neglect = SubjectFactory(name="Neglect")
    public = CatalogueRecordFactory(parent=library, title="Public record", subjects=[neglect])
    members = CatalogueRecordFactory(parent=library, title="Members record", subjects=[neglect])
    panel = CatalogueRecordFactory(parent=library, title="Panel record", subjects=[neglect])
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    panel_group = Group.objects.create(name="Review panel")
    restriction = PageViewRestriction.objects.create(
        page=panel, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(panel_group)
    return {"public": public, "members": members, "panel": panel, "group": panel_group}


def user(name, *groups):
    person = get_user_model().objects.create_user(name, f"{name}@example.org", "pw")
    person.groups.add(*groups)
    return person


def titles_seen(client, url):
    html = client.get(url).content.decode()
    return {title for title in ("Public record", "Members record", "Panel record") if title in html}


def test_anonymous_visitors_see_only_public_records(client, library, records):
    assert titles_seen(client, library.url) == {"Public record"}
    assert titles_seen(client, records["public"].get_url()) == {"Public record"}
    response = client.get(records["members"].get_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_logged_in_professionals_see_login_restricted_records(client, library, records):
    client.force_login(user("professional"))
    assert titles_seen(client, library.url) == {"Public record", "Members record"}
    assert client.get(records["members"].get_url()).status_code == 200
    assert client.get(records["panel"].get_url()).status_code != 200


def test_group_members_see_their_groups_records(client, library, records):
    client.force_login(user("panellist", records["group"]))
    assert titles_seen(client, library.url) == {"Public record", "Members record", "Panel record"}
    assert titles_seen(client, records["public"].get_url()) == {
        "Public record",
        "Members record",
        "Panel record",
    }


def test_visible_to_hides_restricted_records_from_others(records):
    outsider = user("outsider")
    member = user("member", records["group"])
    visible = CatalogueRecord.objects.visible_to
    assert set(visible(None).values_list("title", flat=True)) == {"Public record"}
    assert "Panel record" not in set(visible(outsider).values_list("title", flat=True))
    assert "Panel record" in set(visible(member).values_list("title", flat=True))


def test_documents_of_restricted_records_are_refused_to_those_not_allowed(client, records):
    document = RecordDocumentFactory(record=records["panel"]).document
    missing_url = document.url.replace(f"/{document.pk}/", f"/{document.pk + 1000}/")
    missing = client.get(missing_url)
    assert missing.status_code == 404
    # Refused exactly as a missing document is, so nobody learns that it exists.
    for outsider in (None, user("outsider")):
        if outsider is not None:
            client.force_login(outsider)
        refused = client.get(document.url)
        assert refused.status_code == 404
        assert refused.content == missing.content
    client.force_login(user("member", records["group"]))
    assert client.get(document.url).status_code == 200


def test_every_login_redirect_leads_to_a_login_page_that_exists(client, records):
    restricted_page = client.get(records["members"].get_url())["Location"]
    # Django's own login redirects (login_required, redirect_to_login) use LOGIN_URL.
    django_login = redirect_to_login("/library/")["Location"]
    for url in (restricted_page, django_login):
        login = client.get(url)
        assert login.status_code == 200, url
        assert b'name="password"' in login.content
