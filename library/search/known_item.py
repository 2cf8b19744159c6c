"""Known-item searches: an identifier typed alone, and a title typed with one word wrong.

`identifier_tree` turns a bare ISBN, ISSN or DOI (with or without hyphens or its resolver
address) into a search of the identifiers only. `relaxed_tree` is the fallback when every
word was required and nothing matched: records with most of the words instead.
"""

import contextlib
import re
from dataclasses import dataclass
from itertools import combinations

from library import identifiers
from library.search.query import And, Node, Or, Term, YearRange

# Longest query relaxed word by word (the fallback is one OR of all-but-one groups).
MAX_RELAXED_WORDS = 10
_YEAR_WORD = re.compile(r"^(19|20)\d\d$")


def identifier_tree(text: str) -> Node | None:
    """A search of the identifier field when `text` is one ISBN, ISSN or DOI, else None."""
    text = text.strip()
    if not text or " " in text.replace(" - ", "-"):
        return None
    with contextlib.suppress(ValueError):
        doi = identifiers.normalise_doi(text)
        return Term(doi, "doi")
    digits = re.sub(r"[\s\-‐‑–]", "", text)
    if re.fullmatch(r"\d{9}[\dXx]|\d{13}", digits):
        with contextlib.suppress(ValueError):
            isbn = identifiers.normalise_isbn(text)
            forms = list(dict.fromkeys([isbn, identifiers.isbn_to_13(isbn)]))
            terms = [Term(form, "isbn") for form in forms if form]
            return terms[0] if len(terms) == 1 else Or(tuple(terms))
    if re.fullmatch(r"(?i)(issn:?)?\d{7}[\dX]", digits):
        with contextlib.suppress(ValueError):
            return Term(identifiers.normalise_issn(text), "isbn")
    return None


@dataclass(frozen=True)
class Relaxed:
    """A fallback query: at least `need` of the `words`."""

    tree: Node
    need: int
    words: list[str]


def relaxed_tree(tree: Node | None, need_fewer: int = 1) -> Relaxed | None:
    """Records with all but `need_fewer` of the words of a plain query of three or more
    words (no OR, NOT or fields), a four-figure word also matching the year; or None."""
    if not isinstance(tree, And):
        return None
    leaves = list(tree.children)
    if not all(isinstance(leaf, Term) and leaf.field is None for leaf in leaves):
        return None
    if not 3 <= len(leaves) <= MAX_RELAXED_WORDS or len(leaves) - need_fewer < 2:
        return None
    parts = [_word_or_year(leaf) for leaf in leaves]
    need = len(parts) - need_fewer
    groups = tuple(And(group) for group in combinations(parts, need))
    return Relaxed(Or(groups), need, [leaf.text for leaf in leaves])


def with_years(tree: Node | None) -> Node | None:
    """`tree` with each four-figure word also matching the publication year ("Child X ISCP
    2016"), or None when it has no such word."""
    if not isinstance(tree, And | Term):
        return None
    leaves = list(tree.children) if isinstance(tree, And) else [tree]
    if not any(_is_year_word(leaf) for leaf in leaves):
        return None
    parts = tuple(_word_or_year(leaf) for leaf in leaves)
    return And(parts) if len(parts) > 1 else parts[0]


def _is_year_word(node: Node) -> bool:
    return (
        isinstance(node, Term)
        and node.field is None
        and not node.prefix
        and bool(_YEAR_WORD.match(node.text))
    )


def _word_or_year(node: Node) -> Node:
    if _is_year_word(node):
        year = int(node.text)
        return Or((node, YearRange(year, year)))
    return node
