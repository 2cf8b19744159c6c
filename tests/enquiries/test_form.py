"""The public enquiry form: validation, the reference, spam traps and the rate limit."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.utils import timezone

from enquiries.forms import TIMESTAMP_SALT
from enquiries.models import Enquiry, MessageKind
from tests.factories.enquiries import valid_form_data

REFERENCE = re.compile(r"ENQ-\d{4}-\d{5}")


def submit(client, page, **overrides):
    """Show the form (for its timestamp), then send it."""
    shown = client.get(page.url)
    started = shown.context["form"]["started"].value()
    return client.post(page.url, {**valid_form_data(**overrides), "started": started})


def test_form_shows_the_not_a_helpline_notice_with_the_helpline_number(client, form_page):
    response = client.get(form_page.url)
    html = response.content.decode()
    assert "This is not an emergency or helpline service" in html
    assert "0808 800 5000" in html
    assert html.index("not an emergency") < html.index('class="enquiry-form"')


def test_valid_enquiry_is_stored_and_the_reference_shown_and_emailed(
    client, form_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, form_page)
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert REFERENCE.fullmatch(enquiry.reference)
    assert enquiry.reference.startswith(f"ENQ-{timezone.localdate().year}-")

    thanks = client.get(response["Location"])
    assert enquiry.reference in thanks.content.decode()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    acknowledgement = by_recipient["sam@example.org"]
    notification = by_recipient["service@example.org"]
    assert enquiry.reference in acknowledgement.body
    assert enquiry.reference in notification.body
    assert f"/admin/enquiries/enquiry/inspect/{enquiry.pk}/" in notification.body
    assert "Sam Okafor" not in notification.body
    assert "sam@example.org" not in notification.body


def test_references_are_sequential_and_distinct(client, form_page):
    for _ in range(3):
        submit(client, form_page)
    numbers = sorted(int(ref[-5:]) for ref in Enquiry.objects.values_list("reference", flat=True))
    assert numbers == [1, 2, 3]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your name."),
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("profession", "astronaut", "Choose one of the professions listed"),
        ("nation", "", "Choose the nation or region"),
        ("question", "Help?", "at least 10 characters"),
        ("question", "x" * 5001, "5000 characters or fewer"),
        ("needed_by", "2001-01-01", "today or in the future"),
        ("needed_by", "31/02/2030", "Enter a real date"),
        ("consent", "", "Tick the box to agree"),
        ("topic", "Not a topic on this page", "Choose one of the topics listed."),
    ],
)
def test_invalid_answers_get_a_clear_message_and_nothing_is_stored(
    client, form_page, field, value, message
):
    response = submit(client, form_page, **{field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert Enquiry.objects.count() == 0
    assert f'aria-describedby="id_{field}-error' in html


def test_answers_are_kept_when_the_form_comes_back_with_errors(client, form_page):
    response = submit(client, form_page, consent="")
    assert "Is there recent research on neglect in adolescents?" in response.content.decode()


def test_date_needed_sets_an_earlier_due_date(client, form_page):
    soon = timezone.localdate() + datetime.timedelta(days=2)
    submit(client, form_page, needed_by=soon.isoformat())
    assert Enquiry.objects.get().due_date == soon


def test_filled_honeypot_is_rejected_with_a_message_and_not_stored(client, form_page):
    response = submit(client, form_page, website="http://spam.example")
    assert "Leave this field empty" in response.content.decode()
    assert "was not sent" in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_form_sent_faster_than_a_person_could_is_rejected(client, form_page, settings):
    settings.ENQUIRIES_MINIMUM_FILL_SECONDS = 60
    response = submit(client, form_page)
    assert "faster than a person can fill it in" in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_form_without_its_signed_timestamp_is_rejected(client, form_page):
    response = client.post(form_page.url, {**valid_form_data(), "started": "forged"})
    assert "was not sent" in response.content.decode()
    assert Enquiry.objects.count() == 0


class SignedFiveHoursAgo(signing.TimestampSigner):
    """Signs as the site did five hours ago: a form left open since then, or a replay."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 5 * 60 * 60)


def test_form_open_longer_than_the_maximum_age_is_refused_kindly_with_the_answers_kept(
    client, form_page
):
    stale = SignedFiveHoursAgo(salt=TIMESTAMP_SALT).sign_object(time.time() - 5 * 60 * 60)
    question = "Is there recent research on neglect in adolescents?"
    response = client.post(form_page.url, {**valid_form_data(question=question), "started": stale})
    html = response.content.decode()
    assert response.status_code == 200
    assert "had been open for more than 4 hours" in html
    assert "Your answers are still below" in html
    assert question in html
    assert Enquiry.objects.count() == 0

    # Sending the form as shown again (with its fresh timestamp) is accepted.
    fresh = response.context["form"]["started"].value()
    again = client.post(form_page.url, {**valid_form_data(question=question), "started": fresh})
    assert again.status_code == 302
    assert Enquiry.objects.get().question == question


def test_form_maximum_age_is_a_setting(client, form_page, settings):
    settings.ENQUIRIES_FORM_MAX_AGE_SECONDS = 60 * 60
    shown = client.get(form_page.url).context["form"]["started"].value()
    assert client.post(form_page.url, {**valid_form_data(), "started": shown}).status_code == 302

    stale = SignedFiveHoursAgo(salt=TIMESTAMP_SALT).sign_object(time.time() - 5 * 60 * 60)
    response = client.post(form_page.url, {**valid_form_data(), "started": stale})
    assert "had been open for more than 1 hour," in response.content.decode()
    assert Enquiry.objects.count() == 1


def test_rate_limit_per_ip_answers_429_with_retry_after(client, form_page, settings):
    settings.ENQUIRIES_FORM_RATE_LIMIT = (2, 600)
    assert submit(client, form_page).status_code == 302
    assert submit(client, form_page).status_code == 302
    response = submit(client, form_page)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "Too many enquiries" in response.content.decode()
    assert Enquiry.objects.count() == 2
    # Another address is not affected.
    shown = client.get(form_page.url)
    other = client.post(
        form_page.url,
        {**valid_form_data(), "started": shown.context["form"]["started"].value()},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302


def test_thank_you_page_without_a_valid_token_shows_no_reference(client, form_page):
    response = client.get(form_page.url + "thank-you/?ref=ENQ-2020-00001")
    assert response.status_code == 200
    assert "ENQ-2020-00001" not in response.content.decode()


def test_acknowledgement_is_the_only_email_with_the_enquirer_as_recipient(
    client, form_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, form_page)
    enquiry = Enquiry.objects.get()
    kinds = set(enquiry.messages.values_list("kind", flat=True))
    assert kinds == {MessageKind.ACKNOWLEDGEMENT, MessageKind.NOTIFICATION}
    assert enquiry.messages.filter(sent_at__isnull=True).count() == 0


def test_acknowledgement_repeats_nothing_a_sender_typed_to_the_address_they_gave(
    client, form_page, django_capture_on_commit_callbacks
):
    # Anyone can give someone else's address: the acknowledgement must not carry their text.
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, form_page, name="You won a prize!\nClaim it at http://prize.example/")
        Enquiry.submit(
            name="Jo",
            email="third.party@example.org",
            profession="other",
            nation="wales",
            topic="Call 0900 123 456 now",
            question="Anything on bruising in non-mobile babies?",
            source="api",
        )
    acknowledgements = [m for m in mail.outbox if m.to != ["service@example.org"]]
    assert len(acknowledgements) == 2
    for message in acknowledgements:
        assert "prize" not in message.body
        assert "0900 123 456" not in message.body
        assert "Jo," not in message.body
        assert REFERENCE.search(message.body)
