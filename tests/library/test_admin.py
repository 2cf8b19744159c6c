"""The record editor: creating and editing both record types, field errors, history, moderation."""

import re
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry, WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from library.models import CaseReview, CatalogueRecord, LibraryIndexPage
from library.models.workflow import LIBRARIANS_GROUP
from library.workflow import ensure_librarian_workflow
from tests.factories.home import make_site
from tests.factories.library import (
    AgencyFactory,
    BoardFactory,
    CaseReviewIndexPageFactory,
    CatalogueRecordFactory,
    LibraryIndexPageFactory,
    SubjectFactory,
)


def record_form(**fields) -> dict:
    """POST data for the record editor, with the formsets every record form has."""
    data = {
        "title": "Audit and analysis of initial and significant case reviews",
        "record_type": "research",
        "publisher": "The Scottish Government",
        "place_of_publication": "Edinburgh",
        "publication_year": "2012",
        "language": "en",
        "availability": "online",
        "date_added": "2024-03-01",
        "abstract": rich_text("<p>Analyses 99 reviews held in Scotland.</p>"),
        "contributors": inline_formset(
            [
                {"family_name": "Vincent", "given_names": "S.", "role": "author"},
                {"family_name": "Petch", "given_names": "A.", "role": "author"},
            ]
        ),
        "attached_documents": inline_formset([]),
        "comments": inline_formset([]),
    }
    lists = {name: value for name, value in fields.items() if isinstance(value, list)}
    data.update({name: value for name, value in fields.items() if name not in lists})
    return {**nested_form_data(data), **lists}


class RecordEditorTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site()
        cls.library = LibraryIndexPageFactory(parent=home)
        cls.repository = CaseReviewIndexPageFactory(parent=home)
        cls.neglect = SubjectFactory(name="Neglect")
        cls.under_ones = SubjectFactory(name="Under ones")
        cls.board = BoardFactory(name="Northshire Safeguarding Children Partnership")
        cls.police = AgencyFactory(name="Police")
        cls.admin = get_user_model().objects.create_superuser("head", "head@example.org", "pw")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_librarian_creates_a_record_with_contributors_and_subjects(self):
        data = record_form(subjects=[self.neglect.pk, self.under_ones.pk], keywords="audit, SCR")
        self.assertCanCreate(self.library, CatalogueRecord, data)
        record = CatalogueRecord.objects.get(title__startswith="Audit and analysis")
        self.assertEqual(record.authors_display(), "Vincent, S. and Petch, A.")
        self.assertEqual({s.name for s in record.subjects.all()}, {"Neglect", "Under ones"})
        self.assertTrue(record.live)

    def test_librarian_creates_a_case_review_with_its_facts(self):
        data = record_form(
            title="Child X",
            record_type="",
            subjects=[self.neglect.pk],
            review_type="serious-case-review",
            board=self.board.pk,
            incident_year="2014",
            publication_year="2016",
            child_age_band="under-1",
            child_gender="female",
            themes=[self.under_ones.pk],
            agencies=[self.police.pk],
            recommendations=inline_formset(
                [{"text": "Share concerns early.", "agency": self.police.pk}]
            ),
            child_pseudonym="Child X",
            circumstances="Death of a 3-month-old girl from a head injury.",
            background="The family had recently moved.",
            methodology="silp",
            publication_month="3",
            learning_points=inline_formset([{"text": "See the baby."}, {"text": "Ask who cares."}]),
        )
        self.assertCanCreate(self.repository, CaseReview, data)
        review = CaseReview.objects.get(title="Child X")
        self.assertEqual(review.published_display(), "March 2016")
        self.assertEqual(review.child_pseudonym, "Child X")
        self.assertEqual(
            [point.text for point in review.learning_points.all()],
            ["See the baby.", "Ask who cares."],
        )
        self.assertEqual(review.record_type, "case-review")
        self.assertEqual(review.board, self.board)
        self.assertEqual([r.text for r in review.recommendations.all()], ["Share concerns early."])
        self.assertEqual(list(review.agencies.all()), [self.police])

    def test_a_bad_isbn_is_refused_with_a_sentence_on_the_field(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["library", "cataloguerecord", self.library.pk]
        )
        response = self.client.post(url, record_form(slug="audit", isbn="978-1-84196-337-6"))
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("wrong check digit; check it against the book.", form.errors["isbn"][0])
        self.assertFalse(CatalogueRecord.objects.exists())

    def test_a_pasted_hyphenated_isbn_and_doi_address_are_stored_normalised(self):
        data = record_form(isbn="ISBN 978-1-84196-337-2", doi="https://doi.org/10.1136/ADC.1")
        self.assertCanCreate(self.library, CatalogueRecord, data)
        record = CatalogueRecord.objects.get()
        self.assertEqual((record.isbn, record.doi), ("9781841963372", "10.1136/adc.1"))

    def test_an_edit_is_in_the_records_history(self):
        record = CatalogueRecordFactory(parent=self.library, title="Old title")
        url = reverse("wagtailadmin_pages:edit", args=[record.pk])
        data = record_form(title="New title", slug=record.slug)
        data["action-publish"] = "action-publish"
        self.client.post(url, data)
        record.refresh_from_db()
        self.assertEqual(record.title, "New title")
        actions = set(PageLogEntry.objects.filter(page=record).values_list("action", flat=True))
        self.assertIn("wagtail.edit", actions)
        self.assertIn("wagtail.publish", actions)

    def test_the_editor_has_the_catalogue_tabs(self):
        for page_model, parent in ((CatalogueRecord, self.library), (CaseReview, self.repository)):
            model = page_model._meta.model_name
            response = self.client.get(
                reverse("wagtailadmin_pages:add", args=["library", model, parent.pk])
            )
            html = response.content.decode()
            tabs = re.findall(r'role="tab"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+?)\s*<', html)
            expected = ["Description", "Subjects", "Documents", "Publishing"]
            if page_model is CaseReview:
                expected.insert(3, "Case review")
            self.assertEqual(tabs, expected)


class ModerationTests(WagtailPageTestCase):
    """A librarian submits a record; another librarian, not the same one, approves it."""

    @classmethod
    def setUpTestData(cls):
        home = make_site()
        cls.library = LibraryIndexPageFactory(parent=home)
        ensure_librarian_workflow(cls.library)
        librarians = Group.objects.get(name=LIBRARIANS_GROUP)
        users = get_user_model().objects
        cls.author = users.create_user("author", "author@example.org", "pw")
        cls.checker = users.create_user("checker", "checker@example.org", "pw")
        for user in (cls.author, cls.checker):
            user.groups.add(librarians)

    def test_a_submitted_record_waits_for_a_second_librarian(self):
        self.client.force_login(self.author)
        url = reverse(
            "wagtailadmin_pages:add", args=["library", "cataloguerecord", self.library.pk]
        )
        data = record_form(slug="audit")
        data["action-submit"] = "action-submit"
        self.client.post(url, data)
        record = CatalogueRecord.objects.get(slug="audit")
        self.assertFalse(record.live)
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(record.pk))
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        task_state = state.current_task_state

        def approve():
            return self.client.post(
                reverse(
                    "wagtailadmin_pages:workflow_action",
                    args=[record.pk, "approve", task_state.pk],
                ),
                {"comment": ""},
            )

        approve()
        record.refresh_from_db()
        self.assertFalse(record.live, "The librarian who submitted it cannot approve it.")

        self.client.force_login(self.checker)
        approve()
        record.refresh_from_db()
        self.assertTrue(record.live)
        self.assertIsInstance(record.get_parent().specific, LibraryIndexPage)

    def add_record_url(self):
        return reverse(
            "wagtailadmin_pages:add", args=["library", "cataloguerecord", self.library.pk]
        )

    def test_wagtail_offers_a_librarian_submit_but_not_publish(self):
        self.client.force_login(self.author)
        form = self.client.get(self.add_record_url()).content.decode()
        self.assertIn('name="action-submit"', form)
        self.assertNotIn('name="action-publish"', form)
        # A Publish sent anyway (from a stale tab, say) is refused by Wagtail: a draft is saved.
        data = record_form(slug="audit")
        data["action-publish"] = "action-publish"
        self.client.post(self.add_record_url(), data)
        record = CatalogueRecord.objects.get(slug="audit")
        self.assertFalse(record.live)
        self.assertFalse(record.workflow_in_progress)

    def test_upgrading_takes_publish_away_from_librarians_who_had_it(self):
        # Sections set up before migration 0007 gave librarians publish permission too.
        publish = Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"
        )
        librarians = Group.objects.get(name=LIBRARIANS_GROUP)
        GroupPagePermission.objects.create(group=librarians, page=self.library, permission=publish)
        self.client.force_login(self.author)
        self.assertIn(
            'name="action-publish"', self.client.get(self.add_record_url()).content.decode()
        )

        migration = import_module("library.migrations.0007_librarians_submit_instead_of_publishing")
        migration.withhold_publish(apps, schema_editor=None)
        form = self.client.get(self.add_record_url()).content.decode()
        self.assertNotIn('name="action-publish"', form)
        self.assertIn('name="action-submit"', form)

        migration.restore_publish(apps, schema_editor=None)
        self.assertIn(
            'name="action-publish"', self.client.get(self.add_record_url()).content.decode()
        )
