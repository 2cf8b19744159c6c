"""The editor for case reviews and briefings, and the staleness report."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("head", "h@example.org", "pw"))
    return client


def test_the_case_review_editor_shows_its_own_fields_and_not_journal_ones(admin_client, repository):
    page = admin_client.get(f"/admin/pages/{repository.reviews['x'].pk}/edit/").content.decode()
    for field in (
        "child_pseudonym",
        "circumstances",
        "background",
        "methodology",
        "publication_month",
        "learning_points-TOTAL_FORMS",
    ):
        assert f'name="{field}"' in page, field
    assert 'name="journal_title"' not in page and 'name="volume"' not in page


def test_an_editor_saves_the_new_case_review_facts(admin_client, repository):
    from library.models import CaseReview

    review = repository.reviews["z"]
    review.child_pseudonym = "Child Z"
    review.methodology = "silp"
    review.publication_month = 9
    review.save_revision().publish()
    saved = CaseReview.objects.get(pk=review.pk)
    assert saved.published_display() == "September 2014"
    assert saved.get_methodology_display() == "Significant Incident Learning Process (SILP)"


def test_the_staleness_report_counts_reviews_added_since_each_briefing_was_reviewed(
    admin_client, repository
):
    page = admin_client.get("/admin/reports/stale-briefings/").content.decode()
    assert "Neglect" in page
    # Editors count every live review on the theme, the restricted one too: X, Y and hidden.
    assert ">3<" in page.replace(" ", "").replace("\n", "")
