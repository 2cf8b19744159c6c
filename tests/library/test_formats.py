"""Exports of catalogue records: CSL-JSON, RIS, BibTeX, MARCXML and Dublin Core.

Each export is read back with the library a reference manager or catalogue would use
(rispy, bibtexparser, pymarc, lxml), so the tests check what users' tools will see.
"""

import datetime
import io
import json

import bibtexparser
import pymarc
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from lxml import etree

from library.formats.csl import record_to_csl
from library.formats.exporters import (
    EXPORT_FORMATS,
    RecordsRequired,
    UnknownFormat,
    export,
)
from library.models import (
    Board,
    CaseReview,
    CaseReviewIndexPage,
    CatalogueRecord,
    LibraryIndexPage,
    Nation,
    RecordContributor,
    RecordType,
    ReviewType,
    Subject,
)

BASE_URL = "https://library.example.org"
MARC_NS = {"marc": "http://www.loc.gov/MARC21/slim"}
DC_NS = {
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
TRICKY_TITLE = "Tom & Jerry <b>unbold</b>: Škoda, Zoë and 50% of {braces} #1"


def add_record(parent, contributors=(), subjects=(), keywords=(), model=CatalogueRecord, **fields):
    """A published record under `parent`; contributors as (family, given, is_org, role)."""
    record = model(**fields)
    record.contributors = [
        RecordContributor(family_name=family, given_names=given, is_organisation=org, role=role)
        for family, given, org, role in contributors
    ]
    parent.add_child(instance=record)
    if subjects:
        record.subjects.set(subjects)
    if keywords:
        record.keywords.add(*keywords)
    if subjects or keywords:
        record.save()
    return model.objects.get(pk=record.pk)


@pytest.fixture
def library(home_page):
    return home_page.add_child(instance=LibraryIndexPage(title="Library", slug="library"))


@pytest.fixture
def munro_report(library):
    """The seed reading list's report by two authors, with subjects and a keyword."""
    neglect = Subject.objects.create(name="Serious case reviews", use_for="SCRs")
    learning = Subject.objects.create(name="Learning from case reviews")
    return add_record(
        library,
        title="Undertaking serious case reviews using the SCIE learning together systems model",
        subtitle="lessons from the pilots",
        slug="munro-2013",
        record_type=RecordType.REPORT,
        publisher="Child Wellbeing Research Centre",
        place_of_publication="London",
        publication_year=2013,
        isbn="9780957475311",
        web_address="https://example.org/munro-lushey-2013.pdf",
        extent="62 p.",
        abstract="<p>Evaluates the SCIE systems model &amp; its pilots.</p><p>Second point.</p>",
        notes="Funded by the Department for Education.",
        date_added=datetime.date(2013, 11, 4),
        contributors=[("Munro", "E. R.", False, "author"), ("Lushey", "C.", False, "author")],
        subjects=[neglect, learning],
        keywords=["systems model"],
    )


@pytest.fixture
def article(library):
    return add_record(
        library,
        title="What do serious case reviews achieve?",
        slug="sidebotham-2012",
        record_type=RecordType.JOURNAL_ARTICLE,
        journal_title="Archives of Disease in Childhood",
        volume="97",
        issue="3",
        page_range="189-192",
        publication_year=2012,
        publication_date=datetime.date(2012, 3, 1),
        issn="0003-9888",
        doi="10.1136/archdischild-2011-300943",
        contributors=[("Sidebotham", "P.", False, "author")],
    )


@pytest.fixture
def tricky(library):
    """An organisation's undated guidance whose title needs escaping everywhere."""
    return add_record(
        library,
        title=TRICKY_TITLE,
        slug="tricky",
        record_type=RecordType.GUIDANCE,
        publisher="Llywodraeth Cymru",
        language="cy",
        contributors=[("Department for Education", "", True, "author")],
    )


# CSL-JSON


@pytest.mark.django_db
def test_csl_item_carries_every_field_a_citation_needs(munro_report):
    item = record_to_csl(munro_report, base_url=BASE_URL)

    assert item["type"] == "report"
    assert item["title"] == (
        "Undertaking serious case reviews using the SCIE learning together systems model: "
        "lessons from the pilots"
    )
    assert item["author"] == [
        {"family": "Munro", "given": "E. R."},
        {"family": "Lushey", "given": "C."},
    ]
    assert item["issued"] == {"date-parts": [[2013]]}
    assert item["publisher"] == "Child Wellbeing Research Centre"
    assert item["publisher-place"] == "London"
    assert item["ISBN"] == "9780957475311"
    assert item["number-of-pages"] == "62"
    assert item["abstract"] == "Evaluates the SCIE systems model & its pilots.\n\nSecond point."
    assert item["custom"]["catalogue-url"] == f"{BASE_URL}/library/munro-2013/"
    assert item["custom"]["subjects"] == ["Learning from case reviews", "Serious case reviews"]
    assert "DOI" not in item and "volume" not in item  # empty fields are left out


@pytest.mark.django_db
def test_csl_item_for_article_organisation_and_case_review(article, tricky, home_page):
    journal = record_to_csl(article)
    assert journal["type"] == "article-journal"
    assert journal["container-title"] == "Archives of Disease in Childhood"
    assert (journal["volume"], journal["issue"], journal["page"]) == ("97", "3", "189-192")
    assert journal["issued"] == {"date-parts": [[2012, 3, 1]]}

    guidance = record_to_csl(tricky)
    assert guidance["author"] == [{"literal": "Department for Education"}]
    assert "issued" not in guidance

    repository = home_page.add_child(
        instance=CaseReviewIndexPage(title="Case reviews", slug="case-reviews")
    )
    board = Board.objects.create(name="Islington Safeguarding Children Board", nation="england")
    review = add_record(
        repository,
        model=CaseReview,
        title="Serious case review: Child X",
        slug="child-x",
        review_type=ReviewType.SERIOUS_CASE_REVIEW,
        board=board,
        nation=Nation.ENGLAND,
        publication_year=2016,
    )
    # Loaded as the base class, as search results and reading lists hold records.
    item = record_to_csl(CatalogueRecord.objects.get(pk=review.pk))
    assert item["author"] == [{"literal": "Islington Safeguarding Children Board"}]
    assert item["publisher"] == "Islington Safeguarding Children Board"
    assert item["genre"] == "Serious case review"


@pytest.mark.django_db
def test_csl_json_export_is_valid_json_with_unicode_kept(tricky):
    exported = export([tricky], "csl-json")
    assert exported.media_type == "application/vnd.citationstyles.csl+json"
    items = json.loads(exported.content)
    assert items[0]["title"] == TRICKY_TITLE
    assert "Škoda" in exported.content  # not \u escapes


# RIS


@pytest.mark.django_db
def test_ris_round_trips_through_rispy(munro_report, article):
    exported = export([munro_report, article], "ris")
    assert exported.media_type == "application/x-research-info-systems"
    report, journal = rispy.loads(exported.content)

    assert report["type_of_reference"] == "RPRT"
    assert report["authors"] == ["Munro, E. R.", "Lushey, C."]
    assert report["year"] == "2013"
    assert report["publisher"] == "Child Wellbeing Research Centre"
    assert report["place_published"] == "London"
    assert report["issn"] == "9780957475311"
    assert report["urls"] == ["https://example.org/munro-lushey-2013.pdf"]
    # RIS values are one line each, so the abstract's paragraphs are joined.
    assert report["abstract"] == "Evaluates the SCIE systems model & its pilots. Second point."
    assert set(report["keywords"]) == {
        "Serious case reviews",
        "Learning from case reviews",
        "systems model",
    }

    assert journal["type_of_reference"] == "JOUR"
    assert journal["journal_name"] == "Archives of Disease in Childhood"
    assert (journal["volume"], journal["number"]) == ("97", "3")
    assert (journal["start_page"], journal["end_page"]) == ("189", "192")
    assert journal["issn"] == "0003-9888"
    assert journal["doi"] == "10.1136/archdischild-2011-300943"
    assert journal["date"] == "2012/03/01/"


@pytest.mark.django_db
def test_ris_keeps_tricky_titles_and_organisations_intact(tricky):
    (entry,) = rispy.loads(export([tricky], "ris").content)
    assert entry["title"] == TRICKY_TITLE
    assert entry["authors"] == ["Department for Education"]
    assert "year" not in entry


# BibTeX


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return library


@pytest.mark.django_db
def test_bibtex_round_trips_with_stable_unique_keys(munro_report, article, library):
    sequel = add_record(
        library,
        title="Undertaking a second review",
        slug="munro-2013-b",
        publication_year=2013,
        contributors=[("Munro", "E. R.", False, "author")],
    )
    exported = export([munro_report, article, sequel], "bibtex")
    assert exported.media_type == "application/x-bibtex"
    assert exported.filename("munro-2013") == "munro-2013.bib"

    entries = parse_bibtex(exported.content).entries
    assert [entry.key for entry in entries] == [
        "munro2013undertaking",
        "sidebotham2012what",
        "munro2013undertakinga",
    ]
    report, journal, _sequel = entries
    assert report.entry_type == "techreport"
    assert report["author"] == "Munro, E. R. and Lushey, C."
    assert report["institution"] == "Child Wellbeing Research Centre"
    assert report["address"] == "London"
    assert report["year"] == "2013"
    assert journal.entry_type == "article"
    assert journal["journal"] == "Archives of Disease in Childhood"
    assert journal["pages"] == "189–192"  # "189--192", decoded by LaTeX rules to an en dash
    assert journal["doi"] == "10.1136/archdischild-2011-300943"
    # The same records give the same keys next time.
    assert export([munro_report, article, sequel], "bibtex").content == exported.content


@pytest.mark.django_db
def test_bibtex_escapes_special_characters_and_braces_organisations(tricky):
    content = export([tricky], "bibtex").content
    assert r"Tom \& {Jerry} \textless{}b\textgreater{}unbold\textless{}/b\textgreater{}:" in content
    assert r"{Škoda}, {Zoë} and" in content
    assert r"50\% of \{braces\} \#1" in content
    assert "author = {{Department for Education}}" in content

    (entry,) = bibtexparser.parse_string(content).entries
    assert entry.key == "department" + "nd" + "tom"
    decoded = parse_bibtex(content).entries[0]
    assert "Škoda" in decoded["title"] and "Tom & Jerry" in decoded["title"]


# MARCXML


@pytest.mark.django_db
def test_marcxml_is_a_valid_marc21_slim_collection(munro_report, article):
    exported = export([munro_report, article], "marcxml", base_url=BASE_URL)
    assert exported.media_type == "application/marcxml+xml"

    root = etree.fromstring(exported.content.encode())
    assert root.tag == "{http://www.loc.gov/MARC21/slim}collection"
    leaders = root.xpath("//marc:record/marc:leader/text()", namespaces=MARC_NS)
    assert len(leaders) == 2
    for leader in leaders:
        assert len(leader) == 24 and leader[5:7] == "na" and leader[9] == "a"
        assert leader[:5].isdigit() and leader[20:] == "4500"
    assert leaders[0][7] == "m" and leaders[1][7] == "b"  # monograph, then serial component
    assert not root.xpath("//*[not(namespace-uri()='http://www.loc.gov/MARC21/slim')]")

    report, journal = pymarc.parse_xml_to_array(io.BytesIO(exported.content.encode()), strict=True)
    assert report["001"].data == str(munro_report.pk)
    assert len(report["008"].data) == 40 and report["008"].data[35:38] == "eng"
    assert report["020"]["a"] == "9780957475311"
    assert report["100"]["a"] == "Munro, E. R." and report["100"]["4"] == "aut"
    assert report["245"].indicators == pymarc.Indicators("1", "0")
    assert report["245"]["a"].startswith("Undertaking serious case reviews")
    assert report["245"]["b"] == "lessons from the pilots"
    assert report["245"]["c"] == "E. R. Munro and C. Lushey"
    assert [f["a"] for f in report.get_fields("264")] == ["London"]
    assert report["264"]["b"] == "Child Wellbeing Research Centre"
    assert report["264"]["c"] == "2013"
    assert report["300"]["a"] == "62 p."
    assert report["520"]["a"] == "Evaluates the SCIE systems model & its pilots. Second point."
    assert sorted(f["a"] for f in report.get_fields("650")) == [
        "Learning from case reviews",
        "Serious case reviews",
    ]
    assert report["653"]["a"] == "systems model"
    assert [f["a"] for f in report.get_fields("700")] == ["Lushey, C."]
    assert [f["u"] for f in report.get_fields("856")] == [
        "https://example.org/munro-lushey-2013.pdf",
        f"{BASE_URL}/library/munro-2013/",
    ]

    assert journal["773"]["t"] == "Archives of Disease in Childhood"
    assert journal["773"]["g"] == "Vol. 97, no. 3 (2012), p. 189-192"
    assert journal["773"]["x"] == "0003-9888"
    assert "022" not in journal  # the ISSN belongs to the host journal
    assert journal["024"]["a"] == "10.1136/archdischild-2011-300943"
    assert journal["024"]["2"] == "doi"


@pytest.mark.django_db
def test_marc_uses_110_for_organisations_and_skips_leading_articles(library, tricky):
    annual = add_record(
        library,
        title="The annual review & <summary>",
        slug="annual",
        contributors=[("Smith", "J.", False, "editor")],
    )
    content = export([tricky, annual], "marcxml").content
    organisation, edited = pymarc.parse_xml_to_array(io.BytesIO(content.encode()), strict=True)

    assert organisation["110"]["a"] == "Department for Education"
    assert organisation["008"].data[35:38] == "wel"
    assert organisation["008"].data[7:11] == "uuuu"  # no year known
    assert organisation["245"]["a"] == TRICKY_TITLE
    # Edited works are entered under title; "The " is skipped when filing.
    assert "100" not in edited and edited["700"]["e"] == "editor"
    assert edited["245"].indicators == pymarc.Indicators("0", "4")
    assert edited["245"]["a"] == "The annual review & <summary>"


# Dublin Core


@pytest.mark.django_db
def test_dublin_core_is_oai_dc_with_every_element(munro_report, article):
    exported = export([munro_report], "dc", base_url=BASE_URL)
    assert exported.media_type == "application/xml"
    root = etree.fromstring(exported.content.encode())
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"

    def values(name):
        return root.xpath(f"dc:{name}/text()", namespaces=DC_NS)

    assert values("title") == [
        "Undertaking serious case reviews using the SCIE learning together systems model: "
        "lessons from the pilots"
    ]
    assert values("creator") == ["Munro, E. R.", "Lushey, C."]
    assert set(values("subject")) == {
        "Serious case reviews",
        "Learning from case reviews",
        "systems model",
    }
    assert values("publisher") == ["Child Wellbeing Research Centre"]
    assert values("date") == ["2013"]
    assert values("type") == ["Text", "Report"]
    assert values("language") == ["en"]
    assert f"{BASE_URL}/library/munro-2013/" in values("identifier")
    assert "urn:isbn:9780957475311" in values("identifier")
    assert values("description")[0].startswith("Evaluates the SCIE systems model & its pilots.")

    several = etree.fromstring(export([munro_report, article], "dc").content.encode())
    records = several.xpath("oai_dc:dc", namespaces=DC_NS)
    assert len(records) == 2
    assert records[1].xpath("dc:identifier/text()", namespaces=DC_NS)[1:] == [
        "https://doi.org/10.1136/archdischild-2011-300943",
        "urn:issn:0003-9888",
    ]
    assert records[1].xpath("dc:source/text()", namespaces=DC_NS) == [
        "Archives of Disease in Childhood, 97(3), 189-192"
    ]


@pytest.mark.django_db
def test_xml_formats_stay_well_formed_with_control_characters(library):
    record = add_record(library, title="Pasted\x0b from a PDF\x1f & more", slug="pasted")
    for name in ("marcxml", "dc"):
        root = etree.fromstring(export([record], name).content.encode())
        assert "Pasted from a PDF & more" in etree.tostring(root, encoding="unicode").replace(
            "&amp;", "&"
        )


# The registry and its errors


def test_registry_lists_each_format_with_its_media_type():
    assert {name: fmt.media_type for name, fmt in EXPORT_FORMATS.items()} == {
        "ris": "application/x-research-info-systems",
        "bibtex": "application/x-bibtex",
        "csl-json": "application/vnd.citationstyles.csl+json",
        "marcxml": "application/marcxml+xml",
        "dc": "application/xml",
    }
    ris = EXPORT_FORMATS["ris"]
    assert ris.content_type == "application/x-research-info-systems; charset=utf-8"


def test_unknown_format_names_the_valid_ones():
    with pytest.raises(UnknownFormat) as raised:
        export([], "endnote-xml")
    message = str(raised.value)
    assert "“endnote-xml” is not an export format" in message
    assert "ris, bibtex, csl-json, marcxml, dc" in message


def test_uncatalogued_items_export_to_citation_formats_but_not_marc():
    """Reading lists pass CSL items of their own for entries that are not catalogued."""
    item = {
        "id": "entry-1",
        "type": "report",
        "title": "Working together to safeguard children",
        "author": [{"literal": "HM Government"}],
        "issued": {"date-parts": [[2013]]},
        "publisher": "Department for Education",
        "publisher-place": "London",
    }
    (entry,) = rispy.loads(export([item], "RIS ").content)
    assert entry["authors"] == ["HM Government"]
    assert "@techreport{hm2013working," in export([item], "bibtex").content
    with pytest.raises(RecordsRequired, match="export the entries that are not in the catalogue"):
        export([item], "marcxml")
