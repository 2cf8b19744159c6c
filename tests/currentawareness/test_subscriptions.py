"""Signing up, confirming, managing and unsubscribing, by signed links only."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from currentawareness.links import UNSUBSCRIBE_SALT, make_token
from currentawareness.models import SavedSearch, Subscriber
from tests.factories.currentawareness import subscriber
from tests.factories.library import CatalogueRecordFactory, SubjectFactory

pytestmark = pytest.mark.django_db

SIGN_UP = "/subscriptions/"


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks):
    """Fill in and send the sign-up form; its email is queued on commit, as in production."""

    def send(client, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return _sign_up(client, **fields)

    return send


def _sign_up(client, **fields):
    form = client.get(
        SIGN_UP + (f"?search={fields.pop('search_get')}" if "search_get" in fields else "")
    )
    started = re.search(r'name="started" value="([^"]+)"', form.content.decode()).group(1)
    search = re.search(r'name="search" value="([^"]*)"', form.content.decode())
    data = {"started": started, "website": "", "search": search.group(1) if search else ""}
    data.update(fields)
    return client.post(SIGN_UP, data)


def link_in(message, kind: str) -> str:
    return re.search(rf"http://localhost(/subscriptions/{kind}/[^\s]+)", message.body).group(1)


def test_sign_up_subscribes_only_after_the_link_is_followed_and_the_button_pressed(
    site, sign_up, client
):
    topic = SubjectFactory(name="Neglect", slug="neglect")
    response = sign_up(
        client,
        email="Pat@Example.org",
        services=["caspar", "new-in-library"],
        topics=[topic.pk],
        nations=["wales"],
    )
    assert response.status_code == 302
    assert "Check your email" in client.get(response["Location"]).content.decode()
    person = Subscriber.objects.get(email="pat@example.org")
    assert not person.is_active
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    confirm = link_in(message, "confirm")
    page = client.get(confirm)
    assert "Confirm my subscription" in page.content.decode()
    person.refresh_from_db()
    assert not person.is_active  # a link checker opening the link confirms nothing
    client.post(confirm)
    person.refresh_from_db()
    assert person.is_active
    assert person.services == ["new-in-library", "caspar"]
    assert list(person.topics.all()) == [topic] and person.nations == ["wales"]


def test_an_address_already_subscribed_gets_the_same_answer(site, sign_up, client):
    subscriber("known@example.org")
    new = sign_up(client, email="stranger@example.org", services=["new-in-library"])
    known = sign_up(Client(), email="known@example.org", services=["new-in-library"])
    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    known_email = next(m for m in mail.outbox if m.to == ["known@example.org"])
    assert "already subscribed" in known_email.body
    assert "/subscriptions/manage/" in known_email.body


def test_choices_are_required_with_a_clear_message(site, sign_up, client):
    response = sign_up(client, email="pat@example.org", services=["caspar"])
    assert "Choose at least one CASPAR topic" in response.content.decode()
    response = sign_up(client, email="not-an-address")
    page = response.content.decode()
    assert "Enter an email address in the correct format" in page
    assert "Choose at least one email to receive." in page
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_the_honeypot_and_the_time_trap_turn_bots_away(site, sign_up, client, settings):
    response = sign_up(client, email="bot@example.org", services=["new-in-library"], website="x")
    assert "Leave this field empty" in response.content.decode()
    settings.CURRENTAWARENESS_MINIMUM_FILL_SECONDS = 60
    response = sign_up(client, email="bot@example.org", services=["new-in-library"])
    assert "faster than a person" in response.content.decode()
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_sign_ups_are_rate_limited_per_connection(site, sign_up, client, settings):
    settings.CURRENTAWARENESS_SIGNUP_RATE_LIMIT = (2, 600)
    for n in range(2):
        assert (
            sign_up(client, email=f"p{n}@example.org", services=["new-in-library"]).status_code
            == 302
        )
    response = sign_up(client, email="p3@example.org", services=["new-in-library"])
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_one_address_is_sent_few_emails_however_often_it_is_entered(
    site, sign_up, client, settings
):
    settings.CURRENTAWARENESS_EMAILS_PER_ADDRESS = (2, 86400)
    for _ in range(4):
        sign_up(client, email="victim@example.org", services=["new-in-library"])
    assert len(mail.outbox) == 2


def test_alert_me_on_a_search_results_page_subscribes_to_that_search(site, sign_up, client):
    CatalogueRecordFactory(parent=site["library"], title="Neglect guide")
    results = client.get(site["library"].url + "?q=neglect&page=1").content.decode()
    link = re.search(r'href="(/subscriptions/\?search=[^"]+)"', results).group(1)
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Alert me about new records for this search" in form and "neglect" in form
    sign_up(client, search_get=link.split("search=")[1], email="alerts@example.org")
    client.post(link_in(mail.outbox[0], "confirm"))
    person = Subscriber.objects.get(email="alerts@example.org")
    assert person.is_active and person.caspar
    assert [s.query for s in SavedSearch.objects.filter(subscriber=person)] == ["q=neglect"]


def test_an_expired_link_says_so_and_a_tampered_one_is_refused(site, client):
    person = subscriber("old@example.org")
    with mock.patch("time.time", return_value=time.time() - 91 * 86400):
        old = make_token(UNSUBSCRIBE_SALT, person.key)
    response = client.post(f"/subscriptions/unsubscribe/{old}/")
    assert response.status_code == 400 and "expired" in response.content.decode()
    fresh = make_token(UNSUBSCRIBE_SALT, person.key)
    tampered = fresh[:-3] + ("AAA" if not fresh.endswith("AAA") else "BBB")
    response = client.post(f"/subscriptions/unsubscribe/{tampered}/")
    assert response.status_code == 400 and "has been changed" in response.content.decode()
    # A manage link cannot be used to unsubscribe, nor the other way round.
    manage_token = make_token("currentawareness.manage", person.key)
    assert client.post(f"/subscriptions/unsubscribe/{manage_token}/").status_code == 400
    person.refresh_from_db()
    assert person.is_active


def test_one_click_unsubscribe_needs_no_session_or_csrf_token(site):
    person = subscriber("leaving@example.org")
    token = make_token(UNSUBSCRIBE_SALT, person.key)
    client = Client(enforce_csrf_checks=True)
    assert "Unsubscribe me" in client.get(f"/subscriptions/unsubscribe/{token}/").content.decode()
    person.refresh_from_db()
    assert person.is_active  # opening the link only asks
    response = client.post(
        f"/subscriptions/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.unsubscribed_at is not None


def test_the_manage_page_changes_choices_and_drops_saved_searches(site, client):
    topic = SubjectFactory(name="Neglect", slug="neglect")
    person = subscriber(
        "manager@example.org", services=["caspar"], topics=[topic], searches=["q=neglect"]
    )
    token = make_token("currentawareness.manage", person.key)
    page = client.get(f"/subscriptions/manage/{token}/").content.decode()
    assert "manager@example.org" in page and "neglect" in page
    response = client.post(f"/subscriptions/manage/{token}/", {"services": ["new-in-library"]})
    assert "Your choices are saved." in response.content.decode()
    person.refresh_from_db()
    assert person.services == ["new-in-library"]
    assert not person.saved_searches.exists()
