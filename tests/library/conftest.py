"""A library home and case review repository below a fresh site, for the library tests."""

import pytest

from tests.factories.library import CaseReviewIndexPageFactory, LibraryIndexPageFactory


@pytest.fixture
def library(home_page):
    return LibraryIndexPageFactory(parent=home_page)


@pytest.fixture
def repository(home_page):
    return CaseReviewIndexPageFactory(parent=home_page)
