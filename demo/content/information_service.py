"""Demo content for enquiries: the form page, an Information Service user, a few enquiries.

Idempotent like every module of `demo.content`: pages are looked up by slug, enquiries by
their demo email address, and the user by name.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from demo.content.site import add_navigation_link, get_or_create_child
from enquiries.models import (
    EnquirerNation,
    Enquiry,
    EnquiryFormPage,
    EnquiryTopic,
    Profession,
    Source,
    Status,
)
from home.models import HomePage, StandardPage

DEMO_STAFF_USERNAME = "information-service"
DEMO_STAFF_PASSWORD = "shelfmark-enquiries"  # noqa: S105 - documented dev-only credentials
GROUP_NAME = "Information Service"

TOPICS = [
    "Case reviews",
    "Child sexual abuse",
    "Neglect",
    "Online safety",
    "Safeguarding policy and procedures",
    "Statistics",
]

DEMO_ENQUIRIES = [
    {
        "email": "sam.social-worker@example.org",
        "name": "Sam Okafor",
        "organisation": "Example County Council",
        "profession": Profession.SOCIAL_CARE,
        "nation": EnquirerNation.ENGLAND,
        "topic": "Neglect",
        "question": "Is there recent research on recognising neglect in adolescents?",
        "status": Status.RECEIVED,
        "days_ago": 1,
    },
    {
        "email": "priya.health@example.org",
        "name": "Priya Shah",
        "organisation": "Example Health Board",
        "profession": Profession.HEALTH,
        "nation": EnquirerNation.WALES,
        "topic": "Case reviews",
        "question": "Which child practice reviews published since 2020 mention bruising in babies?",
        "status": Status.IN_PROGRESS,
        "days_ago": 6,
    },
    {
        "email": "alex.student@example.org",
        "name": "Alex Brown",
        "organisation": "Example University",
        "profession": Profession.STUDENT,
        "nation": EnquirerNation.SCOTLAND,
        "topic": "Statistics",
        "question": "Where can I find statistics on children on child protection registers?",
        "status": Status.AWAITING_ENQUIRER,
        "days_ago": 15,
    },
    {
        "email": "jo.teacher@example.org",
        "name": "Jo Evans",
        "organisation": "Example Primary School",
        "profession": Profession.EDUCATION,
        "nation": EnquirerNation.NORTHERN_IRELAND,
        "topic": "Online safety",
        "question": "Do you have a reading list on teaching online safety to primary pupils?",
        "status": Status.CLOSED,
        "days_ago": 40,
    },
]


def load_demo_content(home: HomePage) -> None:
    """The enquiry form page (in the navigation), demo enquiries and, in DEBUG, the user."""
    privacy = get_or_create_child(
        home,
        StandardPage,
        "privacy",
        title="Privacy notice",
        introduction=(
            "How the Information Service uses the details you give us: only to answer your "
            "enquiry and to count enquiries anonymously. We erase your details 24 months after "
            "your enquiry is closed, or sooner if you ask."
        ),
    )
    form_page = get_or_create_child(
        home,
        EnquiryFormPage,
        "enquiry",
        title="Submit an enquiry",
        introduction=(
            "<p>Our Information Service can help you find the latest policy, practice and "
            "research in child protection. Tell us what you need and we will reply by email.</p>"
        ),
        thank_you_text=(
            "<p>We aim to reply within 10 working days. If you need an answer sooner, say so "
            "when you reply to our email.</p>"
        ),
        privacy_notice=privacy,
        topics=[EnquiryTopic(name=name) for name in TOPICS],
    )
    add_navigation_link("Submit an enquiry", form_page)
    staff = ensure_demo_staff() if settings.DEBUG else None
    for details in DEMO_ENQUIRIES:
        create_demo_enquiry(details, staff)


def ensure_demo_staff():
    """The documented dev-only Information Service user; never created outside DEBUG."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_STAFF_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(
            DEMO_STAFF_USERNAME,
            "information-service@example.org",
            DEMO_STAFF_PASSWORD,
            first_name="Information",
            last_name="Service",
        )
        user.groups.add(Group.objects.get(name=GROUP_NAME))
    return user


def create_demo_enquiry(details: dict, staff) -> None:
    """One demo enquiry in the given status, stored without sending any email."""
    if Enquiry.objects.filter(email=details["email"]).exists():
        return
    fields = {k: v for k, v in details.items() if k not in {"status", "days_ago"}}
    received_at = timezone.now() - datetime.timedelta(days=details["days_ago"])
    enquiry = Enquiry.create_with_reference(
        source=Source.WEB, received_at=received_at, consent_given_at=received_at, **fields
    )
    if details["status"] != Status.RECEIVED:
        enquiry.assign_to(staff, user=staff)
        enquiry.change_status(details["status"], user=staff)
    if details["status"] == Status.AWAITING_ENQUIRER:
        enquiry.add_note("Asked which nation the figures should cover.", user=staff)
