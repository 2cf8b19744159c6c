"""The admin's page chooser hides records whose restriction the user does not pass."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.factories.enquiries import information_service_user
from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    library = LibraryIndexPageFactory(parent=make_site())
    CatalogueRecordFactory(parent=library, title="Open report on neglect")
    secret = CatalogueRecordFactory(parent=library, title="Quokkaville review on neglect")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Review panel"))
    return library


def chooser_listing(client, library) -> str:
    browse = client.get(
        f"/admin/choose-page/{library.pk}/", {"page_type": "library.cataloguerecord"}
    ).json()["html"]
    search = client.get(
        "/admin/choose-page/search/", {"q": "neglect", "page_type": "library.cataloguerecord"}
    ).content.decode()
    return browse + search


def test_staff_outside_the_group_do_not_see_a_restricted_record_in_the_chooser(client, library):
    client.force_login(information_service_user())
    listing = chooser_listing(client, library)
    assert "Open report on neglect" in listing
    assert "Quokkaville" not in listing


def test_members_of_the_group_see_it(client, library):
    officer = information_service_user()
    officer.groups.add(Group.objects.get(name="Review panel"))
    client.force_login(officer)
    assert "Quokkaville" in chooser_listing(client, library)
