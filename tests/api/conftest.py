"""A small catalogue for the partner API tests: public and restricted records, case reviews,
subjects, a reading list, and partner tokens issued the way `create_partner_token` issues them.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from library.models import AgeBand, RecordType
from library.partners import issue_partner_token
from tests.factories.library import (
    AgencyFactory,
    BoardFactory,
    CaseReviewFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    ContributorFactory,
    LibraryIndexPageFactory,
    RecommendationFactory,
    RecordDocumentFactory,
    SubjectFactory,
)


@pytest.fixture(autouse=True)
def roomy_rate_limits(settings):
    """Rate limits out of the way unless a test sets its own; each test starts uncounted."""
    settings.SHELFMARK_API_RATE_LIMIT_ANONYMOUS = (10_000, 60)
    settings.SHELFMARK_API_RATE_LIMIT_TOKEN = (10_000, 60)
    cache.clear()
    yield
    cache.clear()


def restrict_to_partners(page) -> None:
    """Restrict a page to the Partners group, as a librarian would in the admin."""
    partners, _ = Group.objects.get_or_create(name="Partners")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(partners)


@pytest.fixture
def catalogue(home_page):
    """Three public records, one case review, one record restricted to partners."""
    library = LibraryIndexPageFactory(parent=home_page)
    repository = CaseReviewIndexPageFactory(parent=home_page)
    neglect = SubjectFactory(name="Neglect", slug="neglect", use_for="child neglect\nCN")
    babies = SubjectFactory(name="Neglect of babies", slug="neglect-of-babies", broader=neglect)
    online = SubjectFactory(name="Online safety", slug="online-safety")
    online.related.add(neglect)
    online.save()
    today = datetime.date.today()
    guidance = CatalogueRecordFactory(
        parent=library,
        title="Neglect: recognising the signs in babies",
        record_type=RecordType.GUIDANCE,
        publication_year=2019,
        date_added=today - datetime.timedelta(days=3),
        subjects=[neglect, babies],
    )
    ContributorFactory(record=guidance, family_name="Munro", given_names="E. R.", sort_order=0)
    ContributorFactory(record=guidance, family_name="Lushey", given_names="C.", sort_order=1)
    guidance.keywords.add("home visits", "health visiting")
    RecordDocumentFactory(record=guidance, label="Full report")
    guidance.save_revision().publish()
    book = CatalogueRecordFactory(
        parent=library,
        title="Keeping children safe online",
        record_type=RecordType.BOOK,
        publication_year=2012,
        date_added=today - datetime.timedelta(days=400),
        subjects=[online],
    )
    report = CatalogueRecordFactory(
        parent=library,
        title="Neglect in adolescence",
        record_type=RecordType.REPORT,
        publication_year=2015,
        date_added=today - datetime.timedelta(days=10),
        subjects=[neglect],
    )
    board = BoardFactory(name="Northshire Safeguarding Children Partnership")
    police = AgencyFactory(name="Police")
    review = CaseReviewFactory(
        parent=repository,
        title="Serious case review: Baby T",
        publication_year=2016,
        incident_year=2014,
        child_age_band=AgeBand.UNDER_ONE,
        board=board,
        themes=[neglect],
        agencies=[police],
        date_added=today - datetime.timedelta(days=1),
    )
    RecommendationFactory(review=review, text="Health visitors should record every visit.")
    secret = CatalogueRecordFactory(
        parent=library,
        title="Neglect panel minutes (partners only)",
        record_type=RecordType.REPORT,
        publication_year=2020,
        date_added=today,
        subjects=[neglect],
    )
    restrict_to_partners(secret)
    return {
        "library": library,
        "repository": repository,
        "neglect": neglect,
        "babies": babies,
        "online": online,
        "guidance": guidance,
        "book": book,
        "report": report,
        "review": review,
        "board": board,
        "secret": secret,
    }


@pytest.fixture
def partner_token(db):
    """The plaintext of a partner token (user in the Partners group, no enquiry permission)."""
    return issue_partner_token("Northshire portal").plaintext


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
