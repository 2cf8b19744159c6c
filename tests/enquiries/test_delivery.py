"""Email delivery through the database task queue and a real local SMTP server.

An SMTP outage never loses or blocks an enquiry; the emails leave once the server is back,
and each message is sent exactly once however often its task runs.
"""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enquiries.models import Enquiry, EnquiryReply, OutgoingMessage
from enquiries.tasks import send_enquiry_message
from tests.enquiries.test_form import submit
from tests.factories.enquiries import EnquiryFactory, information_service_user


@pytest.fixture
def queued(settings):
    """Enquiry emails go through the database tasks backend, run by the worker loop."""
    settings.ENQUIRIES_TASK_BACKEND = "database"


def run_worker():
    """One pass of the real worker over every task that is due."""
    call_command(
        "db_worker",
        "--batch",
        "--backend=database",
        "--interval=0",
        "--no-startup-delay",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def make_retries_due():
    """Let time pass: the back-off of every queued retry is over."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


# The worker closes "old" connections between tasks, which would end a test transaction on
# PostgreSQL; this test commits for real instead.
@pytest.mark.django_db(transaction=True)
def test_enquiry_is_kept_while_smtp_is_down_and_emails_go_out_once_it_recovers(
    client, form_page, smtp_server, queued
):
    smtp_server.stop()
    response = submit(client, form_page)
    assert response.status_code == 302  # the enquirer is not kept waiting by the outage
    enquiry = Enquiry.objects.get()

    run_worker()
    assert smtp_server.inbox.messages == []
    pending = OutgoingMessage.objects.pending()
    assert pending.count() == 2
    assert all(message.attempts == 1 and message.last_error for message in pending)
    # Each failed attempt queued its own retry for later.
    assert DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).count() == 2

    smtp_server.start()
    make_retries_due()
    run_worker()

    assert OutgoingMessage.objects.pending().count() == 0
    to_enquirer = smtp_server.inbox.to("sam@example.org")
    to_service = smtp_server.inbox.to("service@example.org")
    assert len(to_enquirer) == 1 and len(to_service) == 1
    assert enquiry.reference in to_enquirer[0]["data"]
    assert "Sam Okafor" not in to_service[0]["data"]  # triage details, never the enquirer

    # A late duplicate task, a manual sweep and another worker pass send nothing more.
    for message in OutgoingMessage.objects.all():
        send_enquiry_message.using(backend="database").enqueue(message.pk)
    run_worker()
    call_command("send_pending_enquiry_emails", stdout=io.StringIO())
    assert len(smtp_server.inbox.messages) == 2


def test_retried_task_for_a_sent_message_sends_nothing(form_page, smtp_server, queued):
    enquiry = EnquiryFactory(email="jo@example.org")
    staff = information_service_user()
    enquiry.send_reply("Here is what we found.", user=staff)
    message = OutgoingMessage.objects.get(reply__isnull=False)
    assert send_enquiry_message.call(message.pk) == "sent"
    assert send_enquiry_message.call(message.pk) == "already sent or in progress"
    assert len(smtp_server.inbox.to("jo@example.org")) == 1
    assert OutgoingMessage.objects.get(pk=message.pk).attempts == 1


def test_sweep_command_delivers_what_waited_through_an_outage(
    form_page, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        Enquiry.submit(
            name="Jo",
            email="jo@example.org",
            profession="health",
            nation="wales",
            question="Anything on bruising in non-mobile babies?",
            source="web",
        )
    # The immediate backend tried once and failed; the enquiry is stored regardless.
    assert Enquiry.objects.count() == 1
    assert OutgoingMessage.objects.pending().count() == 2

    smtp_server.start()
    output = io.StringIO()
    call_command("send_pending_enquiry_emails", stdout=output)
    assert "Sent 2 pending emails" in output.getvalue()
    assert len(smtp_server.inbox.messages) == 2


def test_internal_notes_never_reach_an_outgoing_email(form_page, smtp_server):
    enquiry = EnquiryFactory(email="jo@example.org")
    staff = information_service_user()
    enquiry.add_note("SECRET: the family is known to us, do not disclose.", user=staff)
    reply = enquiry.send_reply("Here are three reports on the subject.", user=staff)
    send_enquiry_message.call(reply.message.pk)

    assert EnquiryReply.objects.count() == 1
    assert len(smtp_server.inbox.messages) == 1
    assert "Here are three reports" in smtp_server.inbox.messages[0]["data"]
    for message in OutgoingMessage.objects.all():
        assert "SECRET" not in message.body
    assert all("SECRET" not in sent["data"] for sent in smtp_server.inbox.messages)
