"""The enquiries demo content: loads twice without duplicates; the demo staff user works."""

import pytest
from django.test import override_settings

from demo.content.information_service import (
    DEMO_STAFF_PASSWORD,
    DEMO_STAFF_USERNAME,
    load_demo_content,
)
from enquiries.models import Enquiry, EnquiryFormPage, Status
from tests.factories.home import make_site


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_enquiries_load_idempotently_and_the_staff_user_can_triage(client):
    home = make_site()
    load_demo_content(home)
    load_demo_content(home)

    assert EnquiryFormPage.objects.count() == 1
    assert Enquiry.objects.count() == 4
    assert set(Enquiry.objects.values_list("status", flat=True)) >= {
        Status.RECEIVED,
        Status.IN_PROGRESS,
        Status.CLOSED,
    }
    assert client.get("/enquiry/").status_code == 200
    assert client.login(username=DEMO_STAFF_USERNAME, password=DEMO_STAFF_PASSWORD)
    assert client.get("/admin/enquiries/enquiry/").status_code == 200
