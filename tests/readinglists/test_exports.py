"""A whole list exported: RIS, BibTeX, CSL-JSON and a formatted bibliography, in list order."""

import json

import bibtexparser
import pytest
import rispy
from lxml import etree

from tests.factories.readinglists import (
    ReadingListPageFactory,
    citation_entry,
    record_entry,
    section,
)

pytestmark = pytest.mark.django_db

ARTICLE = citation_entry(
    "What do serious case reviews achieve?",
    item_type="article-journal",
    authors="Sidebotham, P.",
    journal="Archives of Disease in Childhood",
    volume="97",
    issue="3",
    pages="189-192",
    year=2012,
    month=3,
    annotation="<p>Questions what reviews achieve.</p>",
)
TRAINING = citation_entry(
    "Training materials and LSCB commissioning material",
    authors="NSPCC\nSequeli\nAction for Children",
    place="[Exeter]",
    publisher="Sequeli",
    year=2013,
    url="https://example.org/training.pdf",
)


@pytest.fixture
def reading_list(lists_index, record):
    return ReadingListPageFactory(
        parent=lists_index,
        title="Practice guidance on conducting a case review",
        sections=[
            section("Learning models", [ARTICLE]),
            section(
                "Practice guidance",
                [record_entry(record, annotation="<p>Chosen for LSCB chairs.</p>"), TRAINING],
            ),
        ],
    )


def test_ris_export_has_every_entry_in_list_order(client, reading_list, record):
    response = client.get(reading_list.url + "export/ris/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert (
        'filename="practice-guidance-on-conducting-a-case-review.ris"'
        in response["Content-Disposition"]
    )
    entries = rispy.loads(response.content.decode())
    assert [entry["title"] for entry in entries] == [
        "What do serious case reviews achieve?",
        record.title,
        "Training materials and LSCB commissioning material",
    ]
    article, from_record, training = entries
    assert article["type_of_reference"] == "JOUR"
    assert article["authors"] == ["Sidebotham, P."]
    assert article["journal_name"] == "Archives of Disease in Childhood"
    assert article["abstract"] == "Questions what reviews achieve."
    assert from_record["abstract"] == "Chosen for LSCB chairs."  # the list's annotation wins
    assert training["authors"] == ["NSPCC", "Sequeli", "Action for Children"]
    assert training["urls"] == ["https://example.org/training.pdf"]


def test_bibtex_export_parses_with_every_entry_in_order(client, reading_list, record):
    response = client.get(reading_list.url + "export/bibtex/")
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    titles = [
        entry.fields_dict["title"].value.replace("{", "").replace("}", "")
        for entry in library.entries
    ]
    assert titles == [
        "What do serious case reviews achieve?",
        record.title,
        "Training materials and LSCB commissioning material",
    ]
    assert library.entries[0].entry_type == "article"
    assert library.entries[0].fields_dict["year"].value == "2012"


def test_csl_json_export_uses_the_catalogue_item_for_records(client, reading_list, record):
    response = client.get(reading_list.url + "export/csl-json/")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    items = json.loads(response.content)
    assert items[1]["id"] == f"record-{record.pk}"
    assert items[0]["issued"] == {"date-parts": [[2012, 3]]}
    assert items[2]["author"][0] == {"literal": "NSPCC"}


def test_formatted_bibliography_in_a_chosen_style(client, reading_list):
    harvard = client.get(reading_list.url + "bibliography/").content.decode()
    assert "Sidebotham, P. (2012) ‘What do serious case reviews achieve?’" in harvard
    apa = client.get(reading_list.url + "bibliography/?style=apa").content.decode()
    assert "Sidebotham, P. (2012). What do serious case reviews achieve?" in apa
    assert '<option value="apa" selected>' in apa


def test_unknown_style_or_format_gets_a_clear_answer_not_an_error(client, reading_list):
    response = client.get(reading_list.url + "bibliography/?style=klingon")
    assert response.status_code == 200
    assert "We do not offer a citation style called “klingon”" in response.content.decode()
    assert client.get(reading_list.url + "export/docx/").status_code == 404


def test_marcxml_and_dublin_core_describe_the_catalogued_entries(client, reading_list, record):
    marc = etree.fromstring(client.get(reading_list.url + "export/marcxml/").content)
    titles = marc.xpath(
        "//m:datafield[@tag='245']/m:subfield[@code='a']/text()",
        namespaces={"m": "http://www.loc.gov/MARC21/slim"},
    )
    assert len(titles) == 1 and titles[0].startswith(record.title[:20])
    dc = client.get(reading_list.url + "export/dc/").content.decode()
    assert record.title in dc and "What do serious case reviews achieve?" not in dc
    page = client.get(reading_list.url).content.decode()
    assert "MARC 21 (MARCXML, catalogued entries only)" in page
