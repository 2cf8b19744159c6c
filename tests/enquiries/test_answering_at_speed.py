"""Answering enquiries at speed: readable triage columns, assigning colleagues, canned
responses and catalogue records chosen in the reply form, replies that reach the service,
notifications to triage from, and enquiries logged from the telephone or email."""

import email
import email.policy

import lxml.html
import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import PageViewRestriction

from enquiries.models import CannedResponse, Enquiry, OutgoingMessage, Source, Status
from tests.factories.enquiries import EnquiryFactory, information_service_user, make_user
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/enquiries/enquiry/"


def reply_url(enquiry) -> str:
    return f"/admin/enquiries/{enquiry.pk}/reply/"


def records_data(records) -> dict:
    """The reply form's page-chooser list as the admin posts it, in this order."""
    data = {"records-count": str(len(records))}
    for index, record in enumerate(records):
        data |= {
            f"records-{index}-value": str(record.pk),
            f"records-{index}-deleted": "",
            f"records-{index}-order": str(index),
            f"records-{index}-id": f"item-{index}",
        }
    return data


@pytest.fixture
def enquiry():
    return EnquiryFactory(name="Priya Shah", question="Which reviews mention bruising in babies?")


@pytest.fixture
def officer(client):
    user = information_service_user("officer")
    client.force_login(user)
    return user


@pytest.fixture
def library(db):
    from tests.factories.home import make_site

    return LibraryIndexPageFactory(parent=make_site())


def test_triage_list_headers_are_words_not_method_names(client, officer, enquiry):
    document = lxml.html.fromstring(client.get(INDEX).content.decode())
    headers = [
        " ".join(th.text_content().split())
        for th in document.xpath("//table[contains(@class, 'listing')]/thead//th")
    ]
    assert "Received" in headers and "Due" in headers
    assert not [header for header in headers if "display" in header.lower()]


def test_an_officer_assigns_an_enquiry_to_a_colleague(client, officer, enquiry):
    colleague = information_service_user("colleague")
    colleague.first_name, colleague.last_name = "Ada", "Jones"
    colleague.save()
    page = client.get(f"{INDEX}inspect/{enquiry.pk}/").content.decode()
    assert "Ada Jones" in page
    client.post(
        f"/admin/enquiries/{enquiry.pk}/assign/", {"to": "colleague", "assignee": colleague.pk}
    )
    enquiry.refresh_from_db()
    assert enquiry.assignee == colleague
    assert enquiry.status == Status.IN_PROGRESS


def test_an_enquiry_cannot_be_assigned_outside_the_information_service(client, officer, enquiry):
    outsider = make_user("librarian", "Librarians")
    response = client.post(
        f"/admin/enquiries/{enquiry.pk}/assign/",
        {"to": "colleague", "assignee": outsider.pk},
        follow=True,
    )
    enquiry.refresh_from_db()
    assert enquiry.assignee is None
    assert "only Information Service staff can be assigned" in response.content.decode()


def test_a_canned_response_is_inserted_from_the_reply_form_without_sending(
    client, officer, enquiry
):
    canned = CannedResponse.objects.create(title="Search tips", body="Try the case review search.")
    form = client.get(reply_url(enquiry)).content.decode()
    assert 'name="canned"' in form and "Search tips" in form
    response = client.post(
        reply_url(enquiry),
        {"body": "Dear Priya,", "canned": canned.pk, "insert": "canned", "then_status": "answered"}
        | records_data([]),
    )
    assert response.status_code == 200
    assert "Dear Priya,\n\nTry the case review search." in response.content.decode()
    assert not enquiry.replies.exists()


def test_records_are_chosen_with_the_page_chooser(client, officer, enquiry):
    html = client.get(reply_url(enquiry)).content.decode()
    assert "wagtail.blocks.PageChooserBlock" in html or "PageChooser" in html
    assert "One per line" not in html


def test_reply_lists_records_in_the_chosen_order_and_carries_reply_to(
    client, officer, enquiry, library, smtp_server, django_capture_on_commit_callbacks, settings
):
    from wagtail.models import Site

    from shelfmark_core.models import SiteSettings

    contacts = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    contacts.information_service_email = "infoservice@example.org"
    contacts.save()
    first = CatalogueRecordFactory(parent=library, title="Zebra: bruising in non-mobile infants")
    second = CatalogueRecordFactory(parent=library, title="Apple: a protocol for bruising")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reply_url(enquiry),
            {"body": "Two reports that help.", "then_status": "answered"}
            | records_data([first, second]),
        )
    assert response.status_code == 302
    [sent] = smtp_server.inbox.to(enquiry.email)
    message = email.message_from_string(sent["data"], policy=email.policy.default)
    body = message.get_content()
    assert body.index("Zebra") < body.index("Apple")
    assert message["Reply-To"] == "infoservice@example.org"


def test_a_restricted_record_cannot_be_sent(client, officer, enquiry, library):
    secret = CatalogueRecordFactory(parent=library, title="Restricted review")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Panel"))
    assert not secret.__class__.objects.visible_to(AnonymousUser()).filter(pk=secret.pk).exists()
    response = client.post(
        reply_url(enquiry),
        {"body": "See this.", "then_status": "answered"} | records_data([secret]),
    )
    assert response.status_code == 200
    assert "Record 1 is not a published, unrestricted catalogue record" in response.content.decode()
    assert not enquiry.replies.exists()


def test_the_acknowledgement_also_replies_to_the_service(enquiry):
    submitted = Enquiry.submit(
        name="Jo",
        email="jo@example.org",
        profession="health",
        nation="wales",
        source=Source.WEB,
        question="What guidance is there on fabricated illness?",
    )
    acknowledgement = submitted.messages.get(kind="acknowledgement")
    assert acknowledgement.as_email().reply_to == [acknowledgement.reply_to]
    assert acknowledgement.reply_to  # the service's address, never empty


def test_staff_notification_carries_the_question_opening_but_not_the_enquirer():
    question = "Is there research on neglect of adolescents in rural areas? " + "More detail. " * 60
    submitted = Enquiry.submit(
        name="Jo Bloggs",
        email="jo@example.org",
        organisation="Northshire Council",
        profession="health",
        nation="wales",
        topic="Neglect",
        source=Source.WEB,
        question=question,
    )
    notification = submitted.messages.get(kind="notification")
    assert "Is there research on neglect of adolescents in rural areas?" in notification.body
    assert question.strip() not in notification.body  # only the opening
    assert "Neglect" in notification.subject
    for personal in ("Jo Bloggs", "jo@example.org", "Northshire Council"):
        assert personal not in notification.body and personal not in notification.subject


def test_staff_log_an_enquiry_that_came_by_telephone(client, officer):
    form = client.get("/admin/enquiries/log/").content.decode()
    assert "Telephone" in form
    response = client.post(
        "/admin/enquiries/log/",
        {
            "source": "phone",
            "received_on": "2024-01-15",
            "name": "Caller Example",
            "email": "caller@example.org",
            "organisation": "",
            "profession": "education",
            "nation": "scotland",
            "topic": "Online harm",
            "question": "A head teacher asked for guidance on sexting.",
            "needed_by": "",
            "consent": "on",
        },
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert enquiry.source == Source.PHONE
    assert enquiry.get_source_display() == "Telephone, logged by staff"
    assert enquiry.submitted_by == officer
    assert enquiry.received_at.date().isoformat() == "2024-01-15"
    assert OutgoingMessage.objects.filter(enquiry=enquiry, kind="acknowledgement").exists()


def test_logging_an_enquiry_without_its_source_is_refused_with_a_message(client, officer):
    response = client.post("/admin/enquiries/log/", {"name": "Caller", "question": "Short q here."})
    assert response.status_code == 200
    assert "Choose whether the enquiry came by telephone or by email." in response.content.decode()
    assert not Enquiry.objects.exists()
