"""A cataloguer adds a board that is not yet listed from inside the case review's board chooser."""

import pytest

from library.models import Board
from tests.factories.enquiries import make_user

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/snippets/choose/library/board/"


@pytest.fixture
def librarian(client):
    client.force_login(make_user("cataloguer", "Librarians"))
    return client


def test_the_board_chooser_offers_a_form_to_add_a_new_board(librarian):
    response = librarian.get(CHOOSER)
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Add a new one" in html
    assert 'name="name"' in html and 'name="nation"' in html


def test_a_board_added_in_the_chooser_is_created_and_chosen(librarian):
    response = librarian.post(
        CHOOSER + "create/",
        {"name": "Northshire Safeguarding Partnership", "nation": "wales", "former_names": ""},
    )
    assert response.status_code == 200
    board = Board.objects.get(name="Northshire Safeguarding Partnership")
    assert response.json()["step"] == "chosen"
    assert response.json()["result"]["id"] == str(board.pk)


def test_a_board_without_its_nation_is_refused_with_the_form_again(librarian):
    response = librarian.post(CHOOSER + "create/", {"name": "Nowhere Partnership", "nation": ""})
    assert response.json()["step"] != "chosen"
    assert "This field is required" in response.json()["htmlFragment"]
    assert not Board.objects.filter(name="Nowhere Partnership").exists()
