"""The staff side: who may see enquiries, triage actions, replies, the audit log, statistics."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, get_resolver, reverse
from wagtail.models import ModelLogEntry

from enquiries.models import Enquiry, OutgoingMessage, Status
from tests.factories.enquiries import EnquiryFactory, information_service_user, make_user

pytestmark = pytest.mark.django_db

INDEX = "/admin/enquiries/enquiry/"


def inspect(enquiry):
    return f"/admin/enquiries/enquiry/inspect/{enquiry.pk}/"


@pytest.fixture
def enquiry():
    return EnquiryFactory(name="Priya Shah", question="Which reviews mention bruising in babies?")


@pytest.fixture
def librarian():
    """A librarian: admin access and the library's permissions, nothing on enquiries."""
    user = make_user("librarian", "Librarians")
    group = Group.objects.get(name="Librarians")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="library"),
    )
    return user


def test_information_service_group_has_exactly_the_permissions_it_needs():
    group = Group.objects.get(name="Information Service")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {
        "access_admin",
        "view_enquiry",
        "change_enquiry",
        "erase_enquiry",
        "add_cannedresponse",
        "change_cannedresponse",
        "delete_cannedresponse",
        "view_cannedresponse",
    }


def test_information_service_user_sees_the_list_and_the_enquiry(client, enquiry):
    client.force_login(information_service_user())
    listing = client.get(INDEX)
    assert listing.status_code == 200
    assert enquiry.reference in listing.content.decode()
    detail = client.get(inspect(enquiry))
    assert "Which reviews mention bruising in babies?" in detail.content.decode()
    assert "Information Service" in client.get("/admin/").content.decode()


@pytest.mark.parametrize("who", ["editor", "librarian", "anonymous"])
def test_editors_librarians_and_the_public_cannot_see_enquiries(client, enquiry, librarian, who):
    if who == "editor":
        client.force_login(make_user("editor", "Editors"))
    elif who == "librarian":
        client.force_login(librarian)
    for url in [INDEX, inspect(enquiry), "/admin/enquiries/statistics/"]:
        response = client.get(url)
        assert response.status_code in {302, 403}
        assert "Priya Shah" not in response.content.decode()
    response = client.post(f"/admin/enquiries/{enquiry.pk}/note/", {"text": "Sneaky note"})
    assert response.status_code in {302, 403}
    assert not enquiry.notes.exists()
    if who != "anonymous":
        assert "Information Service" not in client.get("/admin/").content.decode()
        log = client.get("/admin/reports/site-history/").content.decode()
        assert enquiry.reference not in log


def enquiry_admin_urls(enquiry) -> list[str]:
    """Every admin address of the enquiries app (the triage admin's and ours), for `enquiry`."""
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith("enquiries_")
    }
    urls = []
    for name in sorted(names):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            urls.append(reverse(name, args=[enquiry.pk]))
    return urls


def test_every_enquiry_admin_address_is_listed():
    urls = enquiry_admin_urls(EnquiryFactory())
    assert any("/history/" in url for url in urls)
    assert any("/inspect/" in url for url in urls)
    assert "/admin/enquiries/statistics/" in urls


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Librarians"])
def test_staff_outside_the_information_service_open_no_enquiry_page(client, enquiry, group):
    client.force_login(make_user("staff", group))
    enquiry.change_status(Status.IN_PROGRESS, user=information_service_user())
    for url in enquiry_admin_urls(enquiry):
        response = client.get(url)
        assert response.status_code in {302, 403, 405}, url
        assert enquiry.reference not in response.content.decode(), url
        assert "infoservice" not in response.content.decode(), url
    audit_log = client.get("/admin/reports/site-history/").content.decode()
    assert enquiry.reference not in audit_log


def test_information_service_staff_open_the_enquiry_history(client, enquiry):
    staff = information_service_user()
    enquiry.change_status(Status.IN_PROGRESS, user=staff)
    client.force_login(staff)
    response = client.get(f"/admin/enquiries/enquiry/history/{enquiry.pk}/")
    assert response.status_code == 200
    assert enquiry.reference in response.content.decode()


def test_viewing_an_enquiry_is_in_the_audit_log(client, enquiry):
    user = information_service_user()
    client.force_login(user)
    client.get(inspect(enquiry))
    entry = ModelLogEntry.objects.get(action="enquiries.view")
    assert entry.user == user
    assert entry.label == enquiry.reference  # no personal data in the log


def test_assign_to_me_moves_a_new_enquiry_into_progress_and_is_logged(client, enquiry):
    user = information_service_user()
    client.force_login(user)
    response = client.post(f"/admin/enquiries/{enquiry.pk}/assign/", {"to": "me"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.assignee == user
    assert enquiry.status == Status.IN_PROGRESS
    assert set(ModelLogEntry.objects.values_list("action", flat=True)) >= {
        "enquiries.assign",
        "enquiries.status",
    }


def test_status_changes_are_recorded_and_closing_sets_the_closed_time(client, enquiry):
    client.force_login(information_service_user())
    client.post(f"/admin/enquiries/{enquiry.pk}/status/", {"status": "closed"})
    enquiry.refresh_from_db()
    assert enquiry.status == Status.CLOSED and enquiry.closed_at is not None
    change = enquiry.status_changes.get()
    assert (change.from_status, change.to_status) == (Status.RECEIVED, Status.CLOSED)


def test_overdue_enquiries_are_marked_in_words_in_the_list(client):
    import datetime

    late = EnquiryFactory()
    Enquiry.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 1, 1))
    client.force_login(information_service_user())
    html = client.get(INDEX).content.decode()
    assert "(overdue)" in html
    assert html.count("(overdue)") == 1


def test_list_filters_by_status_and_searches_by_email(client, enquiry):
    other = EnquiryFactory(email="someone.else@example.org")
    other.change_status(Status.CLOSED)
    client.force_login(information_service_user())
    html = client.get(INDEX + "?status=closed").content.decode()
    assert other.reference in html and enquiry.reference not in html
    html = client.get(INDEX + "?q=someone.else").content.decode()
    assert other.reference in html and enquiry.reference not in html


def test_reply_composed_in_the_admin_is_stored_queued_and_marks_the_enquiry_answered(
    client, enquiry, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(information_service_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/enquiries/{enquiry.pk}/reply/",
            {"body": "We found two reports.", "records-count": "0", "then_status": "answered"},
        )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    assert enquiry.first_replied_at is not None
    assert enquiry.replies.get().body == "We found two reports."
    assert [m.to for m in mail.outbox] == [[enquiry.email]]
    assert OutgoingMessage.objects.get(reply__isnull=False).sent_at is not None


def test_reply_with_an_unknown_record_is_refused_with_a_message(client, enquiry):
    client.force_login(information_service_user())
    response = client.post(
        f"/admin/enquiries/{enquiry.pk}/reply/",
        {
            "body": "See these.",
            "records-count": "1",
            "records-0-value": "999999",
            "records-0-deleted": "",
            "records-0-order": "0",
            "then_status": "answered",
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not enquiry.replies.exists()


@pytest.mark.parametrize(
    "tampered",
    [
        {"records-count": "two"},
        {"records-count": "1"},
        {
            "records-count": "1",
            "records-0-value": "x",
            "records-0-deleted": "",
            "records-0-order": "0",
        },
    ],
)
def test_reply_with_unreadable_records_data_is_refused_with_a_message(client, enquiry, tampered):
    client.force_login(information_service_user())
    response = client.post(
        f"/admin/enquiries/{enquiry.pk}/reply/",
        {"body": "See these.", "then_status": "answered", **tampered},
    )
    assert response.status_code == 200
    assert "The chosen records could not be read. Choose them again." in response.content.decode()
    assert not enquiry.replies.exists()


def test_canned_response_prefills_the_reply(client, enquiry):
    from enquiries.models import CannedResponse

    canned = CannedResponse.objects.create(title="Thanks", body="Thank you for your patience.")
    client.force_login(information_service_user())
    response = client.get(f"/admin/enquiries/{enquiry.pk}/reply/?canned={canned.pk}")
    assert "Thank you for your patience." in response.content.decode()


def test_statistics_report_and_csv_export(client):
    for profession in ["health", "health", "police"]:
        EnquiryFactory(profession=profession, topic="Neglect")
    client.force_login(information_service_user())
    assert "3 enquiries" in client.get("/admin/enquiries/statistics/").content.decode()
    csv_text = client.get("/admin/enquiries/statistics/?format=csv").content.decode()
    assert "enquiries by profession,Health,2" in csv_text
    assert "enquiries by profession,Police,1" in csv_text
    assert "enquiries by topic,Neglect,3" in csv_text
