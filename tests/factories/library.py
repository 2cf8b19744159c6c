"""Factories for the library: section pages, records, case reviews and vocabularies.

Records need a parent: pass `parent=` (a LibraryIndexPage for records, a CaseReviewIndexPage
for case reviews). Subjects, themes and agencies are set with the lists the tests pass:

    record = CatalogueRecordFactory(parent=library, subjects=[neglect], contributors=2)
"""

import datetime

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from library.models import (
    Agency,
    Availability,
    Board,
    CaseReview,
    CaseReviewIndexPage,
    CatalogueRecord,
    LibraryIndexPage,
    Nation,
    Recommendation,
    RecordContributor,
    RecordDocument,
    RecordType,
    ReviewType,
    Subject,
)

# A minimal valid PDF, so that served documents have a real PDF body.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class LibraryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Library catalogue"
    slug = "library"
    introduction = "<p>Search the UK's largest collection of child protection resources.</p>"

    class Meta:
        model = LibraryIndexPage


class CaseReviewIndexPageFactory(wagtail_factories.PageFactory):
    title = "National case review repository"
    slug = "case-reviews"
    introduction = "<p>Case reviews published in England, Northern Ireland, Scotland and Wales.</p>"

    class Meta:
        model = CaseReviewIndexPage


class SubjectFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Subject {n}")

    class Meta:
        model = Subject
        django_get_or_create = ("name",)


class BoardFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Northshire {n} Safeguarding Children Partnership")
    nation = Nation.ENGLAND

    class Meta:
        model = Board
        django_get_or_create = ("name",)


class AgencyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Agency {n}")

    class Meta:
        model = Agency
        django_get_or_create = ("name",)


def root_collection() -> Collection:
    """The root collection (transactional tests flush the one Wagtail's migrations made)."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


class DocumentFactory(factory.django.DjangoModelFactory):
    """A Wagtail document holding a tiny real PDF."""

    collection = factory.LazyFunction(root_collection)
    title = factory.Sequence(lambda n: f"Full report {n}")
    file = factory.LazyAttribute(lambda o: ContentFile(MINIMAL_PDF, name=f"{o.title}.pdf"))

    class Meta:
        model = get_document_model()


def _set_many(record, field_name: str, values) -> None:
    """Set a ParentalManyToManyField and commit it (modelcluster keeps it in memory until save)."""
    if values is None:
        return
    getattr(record, field_name).set(values)
    record.save()


class CatalogueRecordFactory(wagtail_factories.PageFactory):
    """A live catalogue record; `contributors=N` adds N authors, `subjects=[...]` sets subjects."""

    title = factory.Sequence(lambda n: f"Safeguarding children in practice, part {n}")
    record_type = RecordType.REPORT
    publisher = "NSPCC"
    place_of_publication = "London"
    publication_year = 2013
    availability = Availability.ONLINE
    date_added = factory.LazyFunction(datetime.date.today)
    abstract = "<p>Summarises learning for practitioners.</p>"

    class Meta:
        model = CatalogueRecord
        skip_postgeneration_save = True

    @factory.post_generation
    def subjects(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj, "subjects", extracted)

    @factory.post_generation
    def contributors(obj, create, extracted, **kwargs):
        if create and extracted:
            for index in range(int(extracted)):
                ContributorFactory(record=obj, sort_order=index)


class CaseReviewFactory(CatalogueRecordFactory):
    """A live case review under a CaseReviewIndexPage."""

    title = factory.Sequence(lambda n: f"Serious case review: Child {n}")
    record_type = RecordType.CASE_REVIEW
    review_type = ReviewType.SERIOUS_CASE_REVIEW
    nation = Nation.ENGLAND
    publication_year = 2016
    incident_year = 2014
    board = factory.SubFactory(BoardFactory)

    class Meta:
        model = CaseReview
        skip_postgeneration_save = True

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj, "themes", extracted)

    @factory.post_generation
    def agencies(obj, create, extracted, **kwargs):
        if create:
            _set_many(obj, "agencies", extracted)


class ContributorFactory(factory.django.DjangoModelFactory):
    record = None
    family_name = factory.Iterator(["Munro", "Lushey", "Sidebotham", "Devaney", "Bunting"])
    given_names = factory.Iterator(["E. R.", "C.", "P.", "J.", "L."])

    class Meta:
        model = RecordContributor


class RecordDocumentFactory(factory.django.DjangoModelFactory):
    record = None
    document = factory.SubFactory(DocumentFactory)

    class Meta:
        model = RecordDocument


class RecommendationFactory(factory.django.DjangoModelFactory):
    review = None
    text = "Agencies should share concerns about neglect at the earliest opportunity."

    class Meta:
        model = Recommendation
