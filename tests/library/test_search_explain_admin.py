"""The staff view that explains a search's ranking: who may open it and what it shows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import PageViewRestriction

from tests.factories.home import make_site
from tests.factories.library import (
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)

URL = "/admin/search-explained/"


@pytest.fixture
def records(db):
    library = LibraryIndexPageFactory(parent=make_site())
    CatalogueRecordFactory(parent=library, title="Neglect in the early years")
    CatalogueRecordFactory(
        parent=library, title="Parenting capacity", subjects=[SubjectFactory(name="Neglect")]
    )
    secret = CatalogueRecordFactory(parent=library, title="Quokkaville neglect review")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Review panel"))


def test_staff_see_each_result_with_its_fields_words_and_points(client, records):
    admin = get_user_model().objects.create_superuser("lib", "lib@example.org", "pw")
    client.force_login(admin)
    page = client.get(URL, {"q": "neglect"}).content.decode()
    assert page.index("Neglect in the early years") < page.index("Parenting capacity")
    assert "neglect: title (" in page and "neglect: subject (" in page
    assert "1 of 1 words matched" in page and "exact title" in page


def test_the_view_is_for_staff_only(client, records):
    assert client.get(URL, {"q": "neglect"}).status_code == 302
    user = get_user_model().objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(user)
    assert client.get(URL, {"q": "neglect"}).status_code in (302, 403)


def test_staff_outside_a_restriction_group_do_not_see_its_records_explained(client, records):
    editor = get_user_model().objects.create_user("editor", "editor@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    page = client.get(URL, {"q": "neglect"}).content.decode()
    assert "Neglect in the early years" in page and "Quokkaville" not in page
