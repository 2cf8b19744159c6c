"""Retention: the purge after the configured period, subject access export, erase-now."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from enquiries.models import Enquiry, Status, months_before
from enquiries.reports import enquiry_statistics
from tests.factories.enquiries import EnquiryFactory, information_service_user

pytestmark = pytest.mark.django_db


def closed_enquiry(months_ago: int, **fields) -> Enquiry:
    enquiry = EnquiryFactory(**fields)
    enquiry.add_note("Internal: phoned the enquirer back.", user=None)
    enquiry.change_status(Status.CLOSED)
    closed_at = months_before(timezone.now(), months_ago) - datetime.timedelta(days=1)
    Enquiry.objects.filter(pk=enquiry.pk).update(closed_at=closed_at)
    return enquiry


def test_months_before_clamps_to_the_end_of_shorter_months():
    moment = datetime.datetime(2026, 3, 31, 12, 0)
    assert months_before(moment, 1) == datetime.datetime(2026, 2, 28, 12, 0)
    assert months_before(moment, 24) == datetime.datetime(2024, 3, 31, 12, 0)


def test_purge_erases_personal_data_after_the_period_and_keeps_statistics():
    old = closed_enquiry(25, name="Old Enquirer", profession="police")
    recent = closed_enquiry(23, name="Recent Enquirer")
    open_old = EnquiryFactory(name="Still Open")
    Enquiry.objects.filter(pk=open_old.pk).update(received_at=months_before(timezone.now(), 30))

    output = io.StringIO()
    call_command("purge_enquiries", "--dry-run", stdout=output)
    assert old.reference in output.getvalue() and recent.reference not in output.getvalue()
    assert Enquiry.objects.get(pk=old.pk).name == "Old Enquirer"  # dry run changed nothing

    call_command("purge_enquiries", stdout=io.StringIO())
    old.refresh_from_db()
    assert (old.name, old.email, old.organisation, old.question) == ("", "", "", "")
    assert old.erased_at is not None and not old.notes.exists()
    assert old.profession == "police" and old.reference.startswith("ENQ-")
    assert Enquiry.objects.get(pk=recent.pk).name == "Recent Enquirer"
    assert Enquiry.objects.get(pk=open_old.pk).name == "Still Open"
    assert enquiry_statistics().total == 3
    assert ModelLogEntry.objects.filter(action="enquiries.erase").count() == 1


def test_retention_period_is_configurable(settings):
    settings.ENQUIRIES_RETENTION_MONTHS = 6
    enquiry = closed_enquiry(7)
    call_command("purge_enquiries", stdout=io.StringIO())
    assert Enquiry.objects.get(pk=enquiry.pk).erased_at is not None


def test_subject_access_export_has_everything_for_one_address_and_is_logged(client):
    mine = EnquiryFactory(email="Jo@Example.org", question="First question about neglect")
    mine.add_note("Checked the catalogue.", user=None)
    EnquiryFactory(email="jo@example.org", question="Second question about neglect")
    EnquiryFactory(email="someone@example.org", question="Not theirs at all")
    staff = information_service_user()
    client.force_login(staff)

    response = client.post(
        "/admin/enquiries/subject-access/", {"email": "jo@example.org", "action": "export"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    questions = [item["question"] for item in document["enquiries"]]
    assert questions == ["First question about neglect", "Second question about neglect"]
    assert document["enquiries"][0]["internal_notes"][0]["text"] == "Checked the catalogue."
    assert ModelLogEntry.objects.filter(action="enquiries.export", user=staff).count() == 2


def test_erase_now_needs_confirmation_then_erases_one_address_only(client):
    mine = EnquiryFactory(email="jo@example.org")
    other = EnquiryFactory(email="someone@example.org")
    client.force_login(information_service_user())
    url = "/admin/enquiries/subject-access/"

    response = client.post(url, {"email": "jo@example.org", "action": "erase"})
    assert "Tick the box to confirm the erasure" in response.content.decode()
    assert Enquiry.objects.get(pk=mine.pk).erased_at is None

    client.post(url, {"email": "jo@example.org", "action": "erase", "confirm": "on"})
    mine.refresh_from_db()
    assert mine.erased_at is not None and mine.email == "" and mine.status == Status.CLOSED
    assert Enquiry.objects.get(pk=other.pk).erased_at is None


def test_erasure_cancels_unsent_emails_with_their_content(form_page):
    enquiry = EnquiryFactory(email="jo@example.org")
    enquiry.send_reply("Your answer.", user=None)
    enquiry.erase_personal_data()
    message = enquiry.messages.get()
    assert message.cancelled_at is not None and message.body == "" and message.recipient == ""
    assert message.deliver() is False
