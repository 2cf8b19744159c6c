"""Factories for reading lists: the index page, lists, and stream values for their entries.

index = ReadingListIndexPageFactory(parent=home)
reading_list = ReadingListPageFactory(
    parent=index,
    sections=[section("Guidance", [record_entry(record), citation_entry("A report")])],
)
"""

import datetime

import factory
import wagtail_factories

from readinglists.models import ReadingListIndexPage, ReadingListPage


class ReadingListIndexPageFactory(wagtail_factories.PageFactory):
    title = "Reading lists"
    slug = "reading-lists"
    introduction = "<p>Annotated lists of key resources on practice topics.</p>"

    class Meta:
        model = ReadingListIndexPage


class ReadingListPageFactory(wagtail_factories.PageFactory):
    """A live reading list; pass `sections=[section(...)]`, `topics=[subject, ...]`."""

    title = factory.Sequence(lambda n: f"Practice guidance reading list {n}")
    compiled = datetime.date(2013, 11, 1)
    compiler = "the Information Service"
    introduction = "<p>A reading list of guidance resources.</p>"
    last_reviewed = factory.LazyFunction(datetime.date.today)
    review_interval_months = 12

    class Meta:
        model = ReadingListPage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            obj.topics.set(extracted)
            obj.save()


def record_entry(record, annotation: str = "", **fields) -> tuple[str, dict]:
    """A stream value for an entry pointing at a catalogue record."""
    return ("record", {"record": record, "annotation": annotation, **fields})


def citation_entry(title: str, **fields) -> tuple[str, dict]:
    """A stream value for an uncatalogued entry with its own citation."""
    return ("citation", {"title": title, "item_type": "report", **fields})


def section(heading: str, entries: list, introduction: str = "") -> tuple[str, dict]:
    """A stream value for a section of entries."""
    return ("section", {"heading": heading, "introduction": introduction, "entries": entries})
