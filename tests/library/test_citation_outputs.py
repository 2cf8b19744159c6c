"""Citations stay byte for byte what they were, in every offered style and output.

The renderer in library/formats/citations.py is tuned for speed (lookups remembered, work
shared between entries); none of that may change a single character a reader sees. The
fixture holds 200 records of the import bench's catalogue as CSL-JSON and their reference,
in-text citation and a sorted 40-entry bibliography in each style, as HTML and as plain text,
rendered before the tuning. If a deliberate change to the output (a fix, a citeproc-py
upgrade) makes this fail, look at the differences and write the fixture again.
"""

import json
from pathlib import Path

import pytest

from library.formats.citations import (
    AVAILABLE_STYLES,
    render_bibliography,
    render_citation,
    render_citations,
    render_in_text_citation,
)

FIXTURE = json.loads((Path(__file__).parent / "citation_outputs.json").read_text())
ITEMS = FIXTURE["items"]


def differences(rendered: list[str], expected: list[str]) -> list[tuple[int, str, str]]:
    assert len(rendered) == len(expected)
    return [
        (index, got, wanted)
        for index, (got, wanted) in enumerate(zip(rendered, expected, strict=True))
        if got != wanted
    ]


@pytest.mark.parametrize("output", ["html", "plain"])
@pytest.mark.parametrize("style", [style.name for style in AVAILABLE_STYLES])
def test_each_reference_is_unchanged(style, output):
    expected = FIXTURE["styles"][style][output]
    rendered = [str(render_citation(item, style, output)) for item in ITEMS]
    assert differences(rendered, expected) == []


@pytest.mark.parametrize("output", ["html", "plain"])
@pytest.mark.parametrize("style", [style.name for style in AVAILABLE_STYLES])
def test_references_rendered_together_are_each_unchanged(style, output):
    # How record details are prepared in bulk: a chunk of records in one pass.
    expected = FIXTURE["styles"][style][output]
    rendered = [str(entry) for entry in render_citations(ITEMS, style, output)]
    assert differences(rendered, expected) == []


@pytest.mark.parametrize("output", ["html", "plain"])
@pytest.mark.parametrize("style", [style.name for style in AVAILABLE_STYLES])
def test_each_in_text_citation_is_unchanged(style, output):
    expected = FIXTURE["styles"][style][f"{output}-in-text"]
    rendered = [str(render_in_text_citation(item, style, output)) for item in ITEMS]
    assert differences(rendered, expected) == []


@pytest.mark.parametrize("output", ["html", "plain"])
@pytest.mark.parametrize("style", [style.name for style in AVAILABLE_STYLES])
def test_a_sorted_bibliography_is_unchanged(style, output):
    expected = FIXTURE["styles"][style][f"{output}-bibliography"]
    rendered = [str(entry) for entry in render_bibliography(ITEMS[:40], style, output)]
    assert differences(rendered, expected) == []


def test_the_fixture_covers_the_kinds_of_record_imported():
    kinds = {item["type"] for item in ITEMS}
    assert {"book", "article-journal", "report"} <= kinds
    assert any("literal" in name for item in ITEMS for name in item.get("author", []))
