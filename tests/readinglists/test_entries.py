"""Entries in order, from records or their own citations, with the right annotation."""

import pytest

from readinglists.entries import join_names, parse_author_lines
from readinglists.models import ReadingListPage
from tests.factories.library import CatalogueRecordFactory, RecordDocumentFactory
from tests.factories.readinglists import (
    ReadingListPageFactory,
    citation_entry,
    record_entry,
    section,
)

pytestmark = pytest.mark.django_db


def test_sections_and_entries_keep_the_order_editors_gave(client, lists_index, library):
    first = CatalogueRecordFactory(parent=library, title="Zebra first by choice")
    last = CatalogueRecordFactory(parent=library, title="Aardvark last by choice")
    reading_list = ReadingListPageFactory(
        parent=lists_index,
        sections=[
            section("Second heading alphabetically, first in the list", [record_entry(first)]),
            section(
                "A later section",
                [citation_entry("Middle uncatalogued report"), record_entry(last)],
            ),
        ],
    )
    html = client.get(reading_list.url).content.decode()
    html = html[html.index('<section class="reading-section"') :]
    positions = [
        html.index(text)
        for text in (
            "Second heading alphabetically",
            "Zebra first by choice",
            "A later section",
            "Middle uncatalogued report",
            "Aardvark last by choice",
        )
    ]
    assert positions == sorted(positions)


def test_record_entry_takes_its_citation_from_the_record_and_stays_current(
    client, lists_index, record
):
    reading_list = ReadingListPageFactory(
        parent=lists_index, sections=[section("Guidance", [record_entry(record)])]
    )
    html = client.get(reading_list.url).content.decode()
    assert record.authors_display() in html
    assert "London: Child Wellbeing Research Centre, 2013" in html
    assert f'href="{record.get_url()}"' in html  # the "Library catalogue record" link

    record.title = "A corrected title for the evaluation"
    record.save_revision().publish()
    html = client.get(reading_list.url).content.decode()
    assert "A corrected title for the evaluation" in html


def test_record_entry_links_its_document_with_format_and_size(client, lists_index, record):
    attached = RecordDocumentFactory(record=record)
    reading_list = ReadingListPageFactory(
        parent=lists_index, sections=[section("Guidance", [record_entry(record)])]
    )
    html = client.get(reading_list.url).content.decode()
    assert f'href="{attached.document.url}"' in html
    assert "(PDF 1kb)" in html


def test_citation_entry_renders_in_house_style(client, lists_index):
    reading_list = ReadingListPageFactory(
        parent=lists_index,
        sections=[
            section(
                "Practice guidance",
                [
                    citation_entry(
                        "Audit and analysis of initial and significant case reviews",
                        authors="Vincent, S.\nPetch, A.",
                        place="Edinburgh",
                        publisher="The Scottish Government",
                        year=2012,
                        url="https://example.org/audit.pdf",
                        format_marker="PDF",
                        size="319kb",
                        annotation="<p>Report analysing 43 initial case reviews.</p>",
                    ),
                    citation_entry(
                        "What do serious case reviews achieve?",
                        item_type="article-journal",
                        authors="Sidebotham, P.",
                        journal="Archives of Disease in Childhood",
                        volume="97",
                        issue="3",
                        pages="189-192",
                        year=2012,
                        month=3,
                    ),
                ],
            )
        ],
    )
    html = client.get(reading_list.url).content.decode()
    assert (
        '<a href="https://example.org/audit.pdf">Audit and analysis of initial and significant '
        'case reviews</a> <span class="reading-entry__format">(PDF 319kb)</span>'
    ) in html
    assert "Vincent, S. and Petch, A." in html
    assert "Edinburgh: The Scottish Government, 2012" in html
    assert "Report analysing 43 initial case reviews." in html
    assert "Archives of Disease in Childhood 97(3): 189-192, March 2012" in html


def test_list_annotation_wins_over_the_record_abstract(client, lists_index, record):
    reading_list = ReadingListPageFactory(
        parent=lists_index,
        sections=[
            section(
                "Guidance",
                [record_entry(record, annotation="<p>Why this matters for LSCB chairs.</p>")],
            )
        ],
    )
    html = client.get(reading_list.url).content.decode()
    assert "Why this matters for LSCB chairs." in html
    assert "Evaluates the systems model" not in html


def test_record_abstract_is_the_default_annotation(client, lists_index, record):
    reading_list = ReadingListPageFactory(
        parent=lists_index,
        sections=[section("Guidance", [record_entry(record, annotation="<p></p>")])],
    )
    html = client.get(reading_list.url).content.decode()
    assert "Evaluates the systems model in two pilot areas." in html


def test_annotations_are_sanitised_when_saved(lists_index):
    reading_list = ReadingListPageFactory(
        parent=lists_index,
        sections=[
            section(
                "Guidance",
                [
                    citation_entry(
                        "A report",
                        annotation='<p onclick="steal()">Useful <script>alert(1)</script>'
                        "<b>summary</b>.</p>",
                    )
                ],
            )
        ],
    )
    stored = ReadingListPage.objects.get(pk=reading_list.pk)
    [entry] = stored.sections_for(None)[0].entries
    annotation = str(entry.annotation)
    assert "<script" not in annotation
    assert "onclick" not in annotation
    assert "<b>summary</b>" in annotation


def test_authors_typed_one_per_line_become_people_and_organisations():
    names, et_al = parse_author_lines("Munro, E. R.\nNSPCC\n\net al.")
    assert [name.to_csl() for name in names] == [
        {"family": "Munro", "given": "E. R."},
        {"literal": "NSPCC"},
    ]
    assert et_al
    assert join_names(["Munro, E. R.", "Lushey, C."]) == "Munro, E. R. and Lushey, C."
    assert join_names(["Sidebotham, P."], et_al=True) == "Sidebotham, P. et al."


def test_compiled_date_is_shown_as_month_and_year(client, lists_index):
    reading_list = ReadingListPageFactory(parent=lists_index, compiled="2013-11-19")
    html = client.get(reading_list.url).content.decode()
    assert "November 2013" in html
    assert ReadingListPage.objects.get(pk=reading_list.pk).compiled.day == 1


def test_print_view_prints_full_addresses_without_page_furniture(client, lists_index, record):
    reading_list = ReadingListPageFactory(
        parent=lists_index, sections=[section("Guidance", [record_entry(record)])]
    )
    html = client.get(reading_list.url + "print/").content.decode()
    assert f'href="{record.get_full_url()}"' in html
    assert 'name="robots" content="noindex"' in html
    assert "Download as RIS" not in html
    assert f"This list is online at {reading_list.get_full_url()}" in html
