"""A small repository for the learning pages: reviews from two nations over three years, on
the theme Neglect (one through its narrower term), one restricted to a group."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from library.models import DocumentKind, LearningPoint, Methodology, Nation
from shelfmark_core.models import SiteSettings
from tests.factories.learning import (
    LearningIndexPageFactory,
    NationPageFactory,
    ThematicBriefingPageFactory,
)
from tests.factories.library import (
    AgencyFactory,
    BoardFactory,
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    RecommendationFactory,
    RecordDocumentFactory,
    SubjectFactory,
)

HIDDEN_TITLE = "Wombatford case review: Child W"


@dataclass
class Repository:
    learning: object
    england: object
    wales: object
    briefing: object
    neglect: object
    reviews: dict


def review(parent, title, *, nation, year, month, themes, board, **fields):
    found = CaseReviewFactory(
        parent=parent,
        title=title,
        nation=nation,
        publication_year=year,
        publication_month=month,
        themes=themes,
        board=board,
        date_added=fields.pop("date_added", datetime.date(year, month or 1, 1)),
        **fields,
    )
    return found


@pytest.fixture
def repository(home_page):
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.helpline_phone = "0808 800 5000"
    site_settings.save()
    parent = CaseReviewIndexPageFactory(parent=home_page)
    neglect = SubjectFactory(name="Neglect", slug="neglect")
    emotional = SubjectFactory(name="Emotional neglect", slug="emotional-neglect", broader=neglect)
    drowning = SubjectFactory(name="Drowning", slug="drowning")
    board = BoardFactory(name="Northshire Safeguarding Children Board", nation=Nation.ENGLAND)
    welsh_board = BoardFactory(name="Cwm Taf Safeguarding Children Board", nation=Nation.WALES)
    police = AgencyFactory(name="Police")
    health = AgencyFactory(name="Health visiting")
    reviews = {
        "x": review(
            parent,
            "Serious case review: Child X",
            nation=Nation.ENGLAND,
            year=2016,
            month=3,
            themes=[neglect],
            board=board,
            child_pseudonym="Child X",
            circumstances="Death of a 4-month-old boy from a head injury.",
            background="The family had moved three times in a year.",
            methodology=Methodology.LEARNING_TOGETHER,
            keep_documents_online=True,
        ),
        "y": review(
            parent,
            "Serious case review: Child Y",
            nation=Nation.ENGLAND,
            year=2016,
            month=7,
            themes=[emotional],
            board=board,
            child_pseudonym="Child Y",
            circumstances="Serious neglect of a 6-year-old girl.",
        ),
        "z": review(
            parent,
            "Serious case review: Child Z",
            nation=Nation.ENGLAND,
            year=2014,
            month=None,
            themes=[drowning],
            board=board,
        ),
        "wales": review(
            parent,
            "Child practice review: Child A",
            nation=Nation.WALES,
            year=2015,
            month=11,
            themes=[neglect],
            board=welsh_board,
            child_pseudonym="Child A",
            methodology=Methodology.WELSH_CHILD_PRACTICE_REVIEW,
        ),
        "hidden": review(
            parent,
            HIDDEN_TITLE,
            nation=Nation.ENGLAND,
            year=2016,
            month=5,
            themes=[neglect],
            board=board,
        ),
    }
    LearningPoint.objects.create(review=reviews["x"], text="Listen to what fathers say.")
    RecordDocumentFactory(record=reviews["x"], kind=DocumentKind.FULL_REPORT)
    reviews["x"].save()
    RecommendationFactory(
        review=reviews["x"], text="Health visitors should see fathers.", agency=health
    )
    RecommendationFactory(review=reviews["x"], text="Police should share referrals.", agency=police)
    RecommendationFactory(review=reviews["wales"], text="Schools should record absence.")
    RecommendationFactory(review=reviews["z"], text="Pools need lifeguards.", agency=police)
    RecommendationFactory(
        review=reviews["hidden"], text="Secret wombat recommendation.", agency=police
    )
    restriction = PageViewRestriction.objects.create(
        page=reviews["hidden"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Review panel"))
    learning = LearningIndexPageFactory(parent=home_page)
    england = NationPageFactory(parent=learning, nation=Nation.ENGLAND, title="England")
    wales = NationPageFactory(parent=learning, nation=Nation.WALES, title="Wales", slug="wales")
    briefing = ThematicBriefingPageFactory(
        parent=learning,
        title="Neglect",
        theme=neglect,
        last_reviewed=datetime.date(2016, 1, 1),
        recommendations=[
            (
                "recommendation",
                {
                    "text": "See the child, every visit.",
                    "reviews": [reviews["x"], reviews["hidden"]],
                },
            )
        ],
    )
    return Repository(learning, england, wales, briefing, neglect, reviews)
