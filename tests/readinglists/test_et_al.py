"""A free citation's "et al." survives every output: the page, CSL-JSON, RIS, BibTeX and the
formatted bibliography, so a multi-author report never looks single-authored."""

import json

import bibtexparser
import pytest
import rispy

from library.formats.citations import render_bibliography, render_in_text_citation
from tests.factories.readinglists import ReadingListPageFactory, citation_entry, section

pytestmark = pytest.mark.django_db

MANY_AUTHORS = citation_entry(
    "Pathways to harm, pathways to protection",
    authors="Sidebotham, P.\net al.",
    place="London",
    publisher="Department for Education",
    year=2016,
)


@pytest.fixture
def reading_list(lists_index):
    return ReadingListPageFactory(
        parent=lists_index,
        title="Case review learning",
        sections=[section("Reviews", [MANY_AUTHORS])],
    )


def test_csl_json_keeps_et_al_as_the_last_author(client, reading_list):
    items = json.loads(client.get(reading_list.url + "export/csl-json/").content)
    assert items[0]["author"] == [{"family": "Sidebotham", "given": "P."}, {"literal": "et al."}]


def test_ris_keeps_et_al(client, reading_list):
    [entry] = rispy.loads(client.get(reading_list.url + "export/ris/").content.decode())
    assert entry["authors"] == ["Sidebotham, P.", "et al."]


def test_bibtex_writes_et_al_as_others(client, reading_list):
    library = bibtexparser.parse_string(
        client.get(reading_list.url + "export/bibtex/").content.decode()
    )
    assert library.entries[0]["author"] == "Sidebotham, P. and others"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("harvard-cite-them-right", "Sidebotham, P. et al. (2016)"),
        ("apa", "Sidebotham, P. et al. (2016)"),
        ("vancouver", "Sidebotham P et al."),
    ],
)
def test_bibliography_names_the_author_then_et_al(client, reading_list, style, expected):
    html = client.get(reading_list.url + "bibliography/", {"style": style}).content.decode()
    assert expected in html
    assert "and et al." not in html and "&amp; et al." not in html


def test_in_text_citation_reads_author_et_al():
    item = {
        "id": "x",
        "type": "report",
        "title": "Pathways",
        "author": [{"family": "Sidebotham", "given": "P."}, {"literal": "et al."}],
        "issued": {"date-parts": [[2016]]},
    }
    assert render_in_text_citation(item, output="plain") == "(Sidebotham et al., 2016)"
    assert render_bibliography([item], output="plain")[0].startswith("Sidebotham, P. et al. (2016)")


def test_the_list_page_shows_et_al(client, reading_list):
    assert "Sidebotham, P. et al." in client.get(reading_list.url).content.decode()
