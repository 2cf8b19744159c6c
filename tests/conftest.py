"""Fixtures shared by every test folder."""

import pytest

from tests.factories.home import make_site


@pytest.fixture
def home_page(db):
    """A site whose root is a fresh HomePage."""
    return make_site()
