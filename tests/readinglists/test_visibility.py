"""Entries whose records are restricted or unpublished: hidden from readers, flagged to editors."""

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.factories.library import CatalogueRecordFactory
from tests.factories.readinglists import (
    ReadingListPageFactory,
    citation_entry,
    record_entry,
    section,
)

pytestmark = pytest.mark.django_db

HIDDEN_TITLE = "Confidential serious case review overview"


@pytest.fixture
def staff_group():
    return Group.objects.create(name="Case review panel")


@pytest.fixture
def restricted_list(lists_index, library, record, staff_group):
    hidden = CatalogueRecordFactory(parent=library, title=HIDDEN_TITLE)
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(staff_group)
    return ReadingListPageFactory(
        parent=lists_index,
        sections=[
            section(
                "Guidance",
                [record_entry(record), record_entry(hidden), citation_entry("A free entry")],
            )
        ],
    )


def test_restricted_record_is_hidden_from_anonymous_readers_everywhere(
    client, restricted_list, record
):
    for suffix in ("", "print/", "bibliography/", "export/csl-json/"):
        response = client.get(restricted_list.url + suffix)
        assert response.status_code == 200, suffix
        body = response.content.decode()
        assert HIDDEN_TITLE not in body, suffix
        assert "A free entry" in body, suffix
    items = json.loads(client.get(restricted_list.url + "export/csl-json/").content)
    assert [item["title"] for item in items] == [record.title, "A free entry"]


def test_restricted_record_is_shown_to_a_member_of_the_allowed_group(
    client, django_user_model, restricted_list, staff_group
):
    member = django_user_model.objects.create_user("panel-member", password="x")
    member.groups.add(staff_group)
    outsider = django_user_model.objects.create_user("outsider", password="x")

    client.force_login(outsider)
    assert HIDDEN_TITLE not in client.get(restricted_list.url).content.decode()
    client.force_login(member)
    assert HIDDEN_TITLE in client.get(restricted_list.url).content.decode()


def test_unpublished_record_is_hidden_not_shown_as_a_broken_link(client, lists_index, library):
    withdrawn = CatalogueRecordFactory(parent=library, title="Withdrawn guidance")
    reading_list = ReadingListPageFactory(
        parent=lists_index, sections=[section("Guidance", [record_entry(withdrawn)])]
    )
    record_url = withdrawn.get_url()
    withdrawn.unpublish()
    html = client.get(reading_list.url).content.decode()
    assert "Withdrawn guidance" not in html
    assert record_url not in html


def test_editors_see_hidden_entries_on_the_review_tab_and_in_preview(admin_client, restricted_list):
    edit = admin_client.get(f"/admin/pages/{restricted_list.pk}/edit/").content.decode()
    assert "Entries hidden from the public" in edit
    assert HIDDEN_TITLE in edit
    assert "restricted" in edit

    preview = restricted_list.make_preview_request()
    assert preview.status_code == 200
    assert "Readers will not see these entries" in preview.rendered_content
    assert HIDDEN_TITLE in preview.rendered_content


def test_hidden_entries_name_the_reason(restricted_list, library, lists_index):
    reasons = [entry.reason for entry in restricted_list.hidden_entries()]
    assert len(reasons) == 1
    assert "restricted" in reasons[0]
