"""Choosing subjects and themes from a thesaurus of thousands of terms in the editor."""

import pytest
from django.contrib.auth import get_user_model

from library.models import CaseReview, Subject
from tests.factories.library import CaseReviewFactory, CaseReviewIndexPageFactory, SubjectFactory

pytestmark = pytest.mark.django_db

THESAURUS_SIZE = 2000


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("head", "h@example.org", "pw"))
    return client


@pytest.fixture
def thesaurus():
    neglect = SubjectFactory(name="Neglect", slug="neglect", use_for="Child neglect")
    emotional = SubjectFactory(name="Emotional neglect", slug="emotional-neglect", broader=neglect)
    Subject.objects.bulk_create(
        Subject(name=f"Term {index:04d}", slug=f"term-{index:04d}")
        for index in range(THESAURUS_SIZE)
    )
    return {"neglect": neglect, "emotional": emotional}


@pytest.fixture
def review(home_page, thesaurus):
    return CaseReviewFactory(
        parent=CaseReviewIndexPageFactory(parent=home_page), themes=[thesaurus["emotional"]]
    )


def test_the_editor_draws_only_the_chosen_terms_not_the_whole_thesaurus(admin_client, review):
    page = admin_client.get(f"/admin/pages/{review.pk}/edit/").content.decode()
    assert page.count('type="checkbox" name="themes"') == 1  # the one chosen theme, ticked
    assert "Emotional neglect (under Neglect)" in page
    assert "Term 1234" not in page
    assert 'name="themes__add"' in page and 'role="combobox"' in page


def test_suggestions_find_terms_and_use_for_terms_with_their_broader_term(admin_client, thesaurus):
    answer = admin_client.get("/admin/subject-suggestions/?q=emotional").json()
    assert answer["results"][0]["label"] == "Emotional neglect (under Neglect)"
    by_use_for = admin_client.get("/admin/subject-suggestions/?q=child negl").json()
    assert [result["name"] for result in by_use_for["results"]] == ["Neglect"]
    assert len(admin_client.get("/admin/subject-suggestions/?q=term").json()["results"]) == 15


def test_suggestions_are_for_signed_in_editors_only(client, thesaurus):
    response = client.get("/admin/subject-suggestions/?q=neglect")
    assert response.status_code == 302


def test_the_chooser_modal_searches_the_thesaurus_and_shows_the_hierarchy(admin_client, thesaurus):
    response = admin_client.get("/admin/subject-chooser/results/?q=emotional")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emotional neglect" in html and "Neglect" in html
    assert "Broader term" in html


def test_typed_terms_are_added_by_preferred_or_use_for_term(review):
    from library.subject_widgets import SubjectsWidget

    widget = SubjectsWidget()
    data = {"themes": [str(review.themes.first().pk)], "themes__add": "child NEGLECT; Term 0007"}
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.setlist("themes", data["themes"])
    query["themes__add"] = data["themes__add"]
    values = widget.value_from_datadict(query, {}, "themes")
    names = sorted(Subject.objects.filter(pk__in=values).values_list("name", flat=True))
    assert names == ["Emotional neglect", "Neglect", "Term 0007"]


def test_an_unknown_typed_term_is_refused_with_a_message_naming_it(review):
    from library.forms import CatalogueRecordForm  # noqa: F401 - the message lives with it

    form_class = CaseReview.get_edit_handler().get_form_class()
    form = form_class(
        data={"themes__add": "Quokka studies", "title": review.title},
        instance=review,
        for_user=get_user_model().objects.create_superuser("x", "x@example.org", "pw"),
    )
    form.is_valid()
    assert "No subject is called “Quokka studies”" in str(form.errors.get("themes"))


def test_the_briefing_editor_chooses_its_theme_with_the_chooser(admin_client, home_page):
    from tests.factories.learning import LearningIndexPageFactory

    learning = LearningIndexPageFactory(parent=home_page)
    page = admin_client.get(
        f"/admin/pages/add/learning/thematicbriefingpage/{learning.pk}/"
    ).content.decode()
    assert "Choose a subject" in page
    assert "/admin/subject-chooser/" in page
