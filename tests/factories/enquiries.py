"""Factories for enquiries: the form page, enquiries and Information Service users."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from enquiries.models import (
    EnquirerNation,
    Enquiry,
    EnquiryFormPage,
    EnquiryTopic,
    Profession,
    Source,
)


class EnquiryFormPageFactory(wagtail_factories.PageFactory):
    title = "Submit an enquiry"
    slug = "enquiry"
    introduction = "<p>Ask the Information Service.</p>"
    thank_you_text = "<p>We aim to reply within 10 working days.</p>"

    class Meta:
        model = EnquiryFormPage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(page, create, extracted, **kwargs):
        for name in extracted if extracted is not None else ["Neglect", "Case reviews"]:
            EnquiryTopic.objects.create(page=page, name=name)


def valid_form_data(**overrides) -> dict:
    """Answers that pass the public form and the API (without the spam traps)."""
    data = {
        "name": "Sam Okafor",
        "email": "sam@example.org",
        "organisation": "Example Council",
        "profession": Profession.SOCIAL_CARE.value,
        "nation": EnquirerNation.ENGLAND.value,
        "topic": "Neglect",
        "question": "Is there recent research on neglect in adolescents?",
        "needed_by": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


class EnquiryFactory(factory.django.DjangoModelFactory):
    """An enquiry stored with a real reference and no emails."""

    name = "Sam Okafor"
    email = factory.Sequence(lambda n: f"enquirer{n}@example.org")
    organisation = "Example Council"
    profession = Profession.SOCIAL_CARE
    nation = EnquirerNation.ENGLAND
    topic = "Neglect"
    question = "Is there recent research on neglect in adolescents?"
    source = Source.WEB

    class Meta:
        model = Enquiry

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.create_with_reference(**kwargs)


def make_user(username: str, group: str | None = None, **fields):
    """A user with a password of "pw", in `group` (created if missing) when given."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw", **fields)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def information_service_user(username: str = "infoservice"):
    return make_user(username, "Information Service")
