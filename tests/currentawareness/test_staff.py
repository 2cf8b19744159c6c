"""The staff figures in the admin, for the "Current awareness" group."""

import pytest
from django.contrib.auth.models import Group, User

from currentawareness.choices import EventKind
from currentawareness.models import SubscriptionEvent
from tests.factories.currentawareness import subscriber
from tests.factories.library import SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, site):
    user = User.objects.create_user("figures", password="x")
    user.groups.add(Group.objects.get(name="Current awareness"))
    client.force_login(user)
    return client


def test_the_group_sees_counts_per_service_and_topic_and_a_chart_of_events(staff_client):
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    subscriber("a@example.org", services=["caspar", "new-in-library"], topics=[neglect])
    subscriber("b@example.org", services=["caspar"], topics=[neglect])
    subscriber("c@example.org", services=["caspar"], confirmed_on=None)
    SubscriptionEvent.record(EventKind.CONFIRMED, ["caspar"])
    SubscriptionEvent.record(EventKind.BOUNCED, ["caspar"])
    page = staff_client.get("/admin/current-awareness/").content.decode()
    assert "<td>CASPAR topic alerts (weekly)</td><td>2</td><td>1</td>" in page
    assert "<td>Neglect</td><td>2</td>" in page
    assert "<svg" in page and 'class="bar-bounced"' in page


def test_other_staff_cannot_see_the_figures(client, site):
    user = User.objects.create_user("editor", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    response = client.get("/admin/current-awareness/")
    assert response.status_code in (302, 403)
