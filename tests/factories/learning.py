"""Factories for the learning pages: the learning home, nation pages and briefings."""

import datetime

import factory
import wagtail_factories

from learning.models import LearningIndexPage, NationPage, ThematicBriefingPage
from library.models import Nation
from tests.factories.library import SubjectFactory


class LearningIndexPageFactory(wagtail_factories.PageFactory):
    title = "Learning from case reviews"
    slug = "learning"

    class Meta:
        model = LearningIndexPage


class NationPageFactory(wagtail_factories.PageFactory):
    title = "Case reviews in England"
    slug = factory.LazyAttribute(lambda o: o.nation)
    nation = Nation.ENGLAND
    review_process = "<p>Reviews follow a child's death or serious harm.</p>"

    class Meta:
        model = NationPage


class ThematicBriefingPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Neglect: learning from case reviews {n}")
    theme = factory.SubFactory(SubjectFactory, name="Neglect", slug="neglect")
    summary = "<p>Children lived for years with needs that nobody met.</p>"
    why_it_matters = "Neglect harms development and can be fatal."
    risk_factors = factory.LazyFunction(
        lambda: [
            ("risk_factor", "Missed health appointments"),
            ("risk_factor", "Poor home conditions"),
        ]
    )
    reflection_questions = "How do you know what a day is like for this child?\nWho else knows?"
    last_reviewed = datetime.date(2020, 1, 1)

    class Meta:
        model = ThematicBriefingPage
