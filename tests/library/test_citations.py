"""Formatted citations: what a librarian expects to read in each offered style."""

import pytest
from django.utils.safestring import SafeString

from library.formats.citations import (
    AVAILABLE_STYLES,
    DEFAULT_STYLE,
    UnknownStyle,
    get_style,
    render_bibliography,
    render_citation,
    render_in_text_citation,
)
from library.formats.csl import record_to_csl
from library.models import CatalogueRecord, LibraryIndexPage, RecordContributor, RecordType
from tests.factories.citations import SIDEBOTHAM

DFE = {
    "id": "dfe",
    "type": "report",
    "title": "National panel of independent experts on serious case review",
    "author": [{"literal": "Department for Education"}],
    "publisher": "Department for Education",
    "publisher-place": "London",
}


@pytest.fixture
def munro_item(home_page):
    """The seed reading list's report by two authors, catalogued and turned into CSL."""
    library = home_page.add_child(instance=LibraryIndexPage(title="Library", slug="library"))
    record = CatalogueRecord(
        title="Undertaking serious case reviews using the SCIE learning together systems model",
        subtitle="lessons from the pilots",
        slug="munro-2013",
        record_type=RecordType.REPORT,
        publisher="Child Wellbeing Research Centre",
        place_of_publication="London",
        publication_year=2013,
    )
    record.contributors = [
        RecordContributor(family_name="Munro", given_names="E. R."),
        RecordContributor(family_name="Lushey", given_names="C."),
    ]
    library.add_child(instance=record)
    return record_to_csl(CatalogueRecord.objects.get(pk=record.pk))


@pytest.mark.django_db
def test_harvard_reference_for_a_report_by_two_authors(munro_item):
    assert render_citation(munro_item, output="plain") == (
        "Munro, E.R. and Lushey, C. (2013) Undertaking serious case reviews using the SCIE "
        "learning together systems model: lessons from the pilots. London: Child Wellbeing "
        "Research Centre."
    )
    html = render_citation(munro_item)
    assert isinstance(html, SafeString)
    assert "(2013) <i>Undertaking serious case reviews" in html
    assert render_in_text_citation(munro_item, output="plain") == "(Munro and Lushey, 2013)"


def test_harvard_reference_for_a_journal_article_with_volume_issue_and_pages():
    assert render_citation(SIDEBOTHAM, style="harvard-cite-them-right", output="plain") == (
        "Sidebotham, P. (2012) ‘What do serious case reviews achieve?’, Archives of Disease in "
        "Childhood, 97(3), pp. 189–192."
    )


def test_apa_reference_does_not_double_the_question_mark():
    assert render_citation(SIDEBOTHAM, style="apa") == (
        "Sidebotham, P. (2012). What do serious case reviews achieve? <i>Archives of Disease in "
        "Childhood</i>, <i>97</i>(3), 189–192."
    )


def test_organisation_author_without_a_date():
    assert render_citation(DFE, output="plain") == (
        "Department for Education (no date) National panel of independent experts on serious "
        "case review. London: Department for Education."
    )
    assert render_citation(DFE, style="apa", output="plain").startswith(
        "Department for Education. (n.d.). National panel"
    )


def test_work_without_authors_is_cited_by_title_once():
    item = {
        "id": "working-together",
        "type": "report",
        "title": "Working together to safeguard children",
        "issued": {"date-parts": [[2013]]},
        "publisher": "Department for Education",
        "publisher-place": "London",
    }
    assert render_citation(item, output="plain") == (
        "Working together to safeguard children (2013). London: Department for Education."
    )
    assert render_in_text_citation(item, output="plain") == (
        "(Working together to safeguard children, 2013)"
    )


def test_titles_with_markup_characters_are_escaped_in_html_and_kept_in_plain_text():
    item = {**DFE, "title": "Tom & Jerry <script>alert(1)</script>: Škoda’s Zoë"}
    html = render_citation(item)
    assert "<i>Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;: Škoda’s Zoë</i>" in html
    assert "<script>" not in html
    assert "Tom & Jerry <script>alert(1)</script>: Škoda’s Zoë" in render_citation(
        item, output="plain"
    )


def test_diacritics_in_names_survive():
    item = {**SIDEBOTHAM, "author": [{"family": "Šebestová", "given": "Žofie"}]}
    assert render_citation(item, output="plain").startswith("Šebestová, Ž. (2012)")


def test_edited_work_names_the_editor_once():
    item = {
        "id": "handley",
        "type": "book",
        "title": "Safeguarding through audit",
        "editor": [{"family": "Handley", "given": "M."}],
        "issued": {"date-parts": [[2009]]},
        "edition": "Rev. ed.",
        "publisher": "NSPCC",
        "publisher-place": "London",
    }
    text = render_citation(item, output="plain")
    assert text == "Handley, M. (2009) Safeguarding through audit. Rev. ed. London: NSPCC."


def test_harvard_bibliography_is_alphabetical_and_vancouver_numbered_in_order():
    items = [SIDEBOTHAM, DFE]
    harvard = render_bibliography(items, output="plain")
    assert [entry.split(" ")[0] for entry in harvard] == ["Department", "Sidebotham,"]

    vancouver = render_bibliography(items, style="vancouver", output="plain")
    assert vancouver[0].startswith("1. Sidebotham P. What do serious case reviews achieve? ")
    assert "2012 Mar;97(3):189–92" in vancouver[0]
    assert vancouver[1].startswith("2. Department for Education.")


@pytest.mark.parametrize("style", [style.name for style in AVAILABLE_STYLES])
def test_every_offered_style_renders_author_title_and_year(style):
    text = render_citation(SIDEBOTHAM, style=style, output="plain")
    assert "Sidebotham" in text and "2012" in text
    assert "what do serious case reviews achieve" in text.lower()


def test_unknown_style_and_output_get_clear_messages():
    with pytest.raises(UnknownStyle) as raised:
        render_citation(SIDEBOTHAM, style="turabian")
    assert "“turabian” is not a citation style we offer" in str(raised.value)
    assert "harvard-cite-them-right, apa" in str(raised.value)
    with pytest.raises(ValueError, match="use “html” or “plain”"):
        render_bibliography([SIDEBOTHAM], output="rtf")
    # Common names for the offered styles work, and no style means the default.
    assert get_style("Harvard").name == "harvard-cite-them-right"
    assert get_style(None).name == DEFAULT_STYLE
    assert render_bibliography([], style="mla") == []
