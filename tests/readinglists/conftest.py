"""A small tree for reading list tests: home, library with records, reading lists home."""

import pytest

from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory
from tests.factories.readinglists import ReadingListIndexPageFactory


@pytest.fixture
def library(home_page):
    return LibraryIndexPageFactory(parent=home_page)


@pytest.fixture
def lists_index(home_page):
    return ReadingListIndexPageFactory(parent=home_page)


@pytest.fixture
def record(library):
    """A live, public record with two authors and an abstract."""
    return CatalogueRecordFactory(
        parent=library,
        title="Undertaking serious case reviews using the SCIE learning together model",
        publisher="Child Wellbeing Research Centre",
        place_of_publication="London",
        publication_year=2013,
        abstract="<p>Evaluates the systems model in two pilot areas.</p>",
        contributors=2,
    )
