"""Thesaurus expansion: a subject's preferred term, use-for terms and abbreviations match
one another, so "CSE" finds records about child sexual exploitation and the reverse."""

import unicodedata

from library.models.snippets import Subject, split_terms
from library.search.query import And, Node, Not, Or, Phrase, Synonyms, Term

MAX_RUN = 5


def fold(text: str) -> str:
    """Lower case, accents removed, single spaces: the key thesaurus terms are matched by."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.replace("-", " ").split())


def load_synonym_groups() -> dict[str, tuple[str, ...]]:
    """Folded term → every term of its subject (preferred first). Read once per index version
    (library.search.snapshot): saving a subject moves the version on in every process."""

    groups: dict[str, tuple[str, ...]] = {}
    for name, use_for in Subject.objects.values_list("name", "use_for"):
        terms = tuple(dict.fromkeys([name, *split_terms(use_for)]))
        if len(terms) < 2:
            continue
        for term in terms:
            groups.setdefault(fold(term), terms)
    return groups


def expand(node: Node | None, groups: dict[str, tuple[str, ...]]) -> Node | None:
    """The tree with every word, phrase or run of words that is a thesaurus term OR-ed with
    the other terms of its subject."""
    if node is None or not groups:
        return node
    return _expand(node, groups)


def _alternatives(text: str, groups) -> tuple[str, ...]:
    terms = groups.get(fold(text), ())
    key = fold(text)
    return tuple(term for term in terms if fold(term) != key)


def _expand(node: Node, groups) -> Node:
    if isinstance(node, Term | Phrase):
        if node.field in (None, "subject") and not getattr(node, "prefix", False):
            alternatives = _alternatives(node.text, groups)
            if alternatives:
                return Synonyms(node, alternatives)
        return node
    if isinstance(node, Not):
        return Not(_expand(node.child, groups))
    if isinstance(node, Or):
        return Or(tuple(_expand(child, groups) for child in node.children))
    if isinstance(node, And):
        return _expand_and(node, groups)
    return node


def _expand_and(node: And, groups) -> Node:
    children = list(node.children)
    result: list[Node] = []
    index = 0
    while index < len(children):
        run_end = index
        while (
            run_end < len(children)
            and run_end - index < MAX_RUN
            and isinstance(children[run_end], Term)
            and children[run_end].field is None
            and not children[run_end].prefix
        ):
            run_end += 1
        matched = False
        for end in range(run_end, index + 1, -1):
            words = " ".join(child.text for child in children[index:end])
            alternatives = _alternatives(words, groups)
            if alternatives:
                result.append(Synonyms(And(tuple(children[index:end])), alternatives))
                index = end
                matched = True
                break
        if not matched:
            result.append(_expand(children[index], groups))
            index += 1
    return result[0] if len(result) == 1 else And(tuple(result))
