"""The query language: what users type is read the way they mean it, and nothing breaks it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from library.search.query import (
    And,
    Not,
    Or,
    Phrase,
    Term,
    YearRange,
    describe,
    parse_query,
)
from library.search.thesaurus import expand

GROUPS = {
    "cse": ("Sexual exploitation", "CSE", "child sexual exploitation"),
    "sexual exploitation": ("Sexual exploitation", "CSE", "child sexual exploitation"),
    "child sexual exploitation": ("Sexual exploitation", "CSE", "child sexual exploitation"),
}


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("neglect", Term("neglect")),
        ("neglect abuse", And((Term("neglect"), Term("abuse")))),
        ('"child abuse"', Phrase("child abuse")),
        ("neglect OR abuse", Or((Term("neglect"), Term("abuse")))),
        ("neglect NOT review", And((Term("neglect"), Not(Term("review"))))),
        ("neglect -review", And((Term("neglect"), Not(Term("review"))))),
        ("safeguard*", Term("safeguard", prefix=True)),
        ("title:neglect", Term("neglect", "title")),
        ('author:"Munro, E"', Phrase("Munro, E", "author")),
        ("year:2013", YearRange(2013, 2013)),
        ("year:2015..2010", YearRange(2010, 2015)),
        (
            "(neglect OR abuse) AND year:2010..2015",
            And((Or((Term("neglect"), Term("abuse"))), YearRange(2010, 2015))),
        ),
        ("subject:(neglect OR cse)", Or((Term("neglect", "subject"), Term("cse", "subject")))),
        ("doi:10.1093/bjsw/bcq084", Term("10.1093/bjsw/bcq084", "doi")),
    ],
)
def test_query_language_builds_the_expected_tree(query, tree):
    parsed = parse_query(query)
    assert parsed.tree == tree
    assert parsed.notes == []


@pytest.mark.parametrize(
    ("query", "understood", "note"),
    [
        ('"child abuse', '"child abuse"', "quotation mark"),
        ("(neglect OR abuse", "neglect OR abuse", "bracket was not closed"),
        ("neglect) abuse", "neglect AND abuse", "closing bracket"),
        ("neglect AND", "neglect", "AND needs"),
        ("NOT", "", "NOT needs"),
        ("year:soon", "soon", "not a year"),
        ("title:", "", "had nothing after it"),
    ],
)
def test_malformed_syntax_degrades_to_words_and_says_so(query, understood, note):
    parsed = parse_query(query)
    assert parsed.understood == understood
    assert any(note in message for message in parsed.notes), parsed.notes


def test_lower_case_operators_are_ordinary_words():
    assert parse_query("neglect and abuse").tree == And(
        (Term("neglect"), Term("and"), Term("abuse"))
    )


def test_understood_query_round_trips():
    text = 'title:"serious case" AND (neglect OR cse*) AND NOT review AND year:2010..2015'
    assert describe(parse_query(text).tree) == text
    assert parse_query(describe(parse_query(text).tree)).tree == parse_query(text).tree


def test_abbreviation_expands_to_its_preferred_term():
    tree = expand(parse_query("CSE online").tree, GROUPS)
    assert (
        describe(tree) == '(CSE OR "Sexual exploitation" OR "child sexual exploitation") AND online'
    )


def test_unquoted_run_of_words_matching_a_thesaurus_term_expands():
    tree = expand(parse_query("child sexual exploitation").tree, GROUPS)
    assert "CSE" in describe(tree)


def test_fielded_words_other_than_subject_are_not_expanded():
    assert describe(expand(parse_query("title:cse").tree, GROUPS)) == "title:cse"


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_no_input_makes_the_parser_raise(text):
    parsed = parse_query(text)
    if parsed.tree is not None:
        # What was understood can be parsed again to the same tree.
        assert parse_query(describe(parsed.tree)).tree == parsed.tree


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "neglect",
                "(",
                ")",
                '"',
                "AND",
                "OR",
                "NOT",
                "-",
                "title:",
                "year:",
                "2013",
                "..",
                "*",
                "cse",
                "é",
                ":",
                "  ",
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_syntax_soup_never_raises(text):
    parse_query(text)


@pytest.mark.parametrize(
    ("query", "understood"),
    [
        # Pasted titles: a colon followed by a space is punctuation, not a field.
        (
            "serious case review: information for LSCBs",
            "serious AND case AND review AND information AND for AND LSCBs",
        ),
        (
            "non-accidental child deaths: reviewing",
            "non-accidental AND child AND deaths AND reviewing",
        ),
        ("review:scr neglect", "review:scr AND neglect"),
        ('title:"case review" deaths', 'title:"case review" AND deaths'),
    ],
)
def test_a_colon_names_a_field_only_when_the_value_follows_it(query, understood):
    parsed = parse_query(query)
    assert parsed.understood == understood
    assert not any("not a field" in note for note in parsed.notes), parsed.notes
