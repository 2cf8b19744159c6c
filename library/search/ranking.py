"""Relevance: a score for each record of a bounded candidate set, the same on every embedded
engine (the Elasticsearch mapping and query express the same weights in its own terms).

The engines find which records match; this module orders the best few hundred of them:
field weights (a word in the title counts far more than one in the abstract), coverage (more
of the query's words matched outranks fewer), the query's words together and in order in the
title, and the exact title (case, punctuation and accents ignored). The date only breaks ties
between equal scores. `explain` says, for staff, why a record scored what it did.
"""

import functools
import math
import re
from dataclasses import dataclass, field

from library.search.query import And, Node, Or, Phrase, Synonyms, Term, YearRange
from library.search.thesaurus import fold

# Weight of a query word found in each field (the best field of each word counts fully,
# others a little). Title ≫ subtitle, subject and keyword > contributor > publisher, board,
# series > abstract and notes.
FIELD_WEIGHTS = {
    "title": 10.0,
    "subtitle": 5.0,
    "subject": 4.0,
    "keyword": 4.0,
    "identifier": 4.0,
    "author": 3.0,
    "publisher": 1.5,
    "board": 1.5,
    "body": 0.5,
}
# One more query word matched is worth more than everything else a record can score, so
# coverage always comes first; the remaining parts add up to at most about this much.
COVERAGE_STEP = 40.0
EXACT_TITLE = 15.0
PHRASE_IN_TITLE = 6.0
TITLE_CLOSENESS = 4.0
# A query word (outside the title) in the first author's name: "title + surname" picks the
# record the person wrote over one they contributed to, among records otherwise equal.
FIRST_AUTHOR = 3.0
# Words a query may have beyond an exact title, at its start or end, that still count as the
# exact title when they name the record's authors, board or year ("Child X ISCP 2016"); as
# many as a corporate author's name has ("Royal College of Paediatrics and Child Health").
MAX_EXTRA_WORDS = 8
OTHER_FIELDS_SHARE = 0.1
# Records scored exactly per search: the best by a cheap bound (see DatabaseEngine).
CANDIDATES = 60

_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_exact(text: str) -> str:
    """A title for exact comparison: folded case and accents, words only."""
    return " ".join(_folded_words(text or ""))


@functools.lru_cache(maxsize=65536)
def light_stem(word: str) -> str:
    """A small English suffix stripper, applied alike to query and record words, so that
    plurals and -ing/-ed forms the engine matched also count here."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def _folded_words(text: str) -> list[str]:
    # Plain ASCII has no accents to remove: the common case skips Unicode decomposition.
    folded = text.casefold() if text.isascii() else fold(text)
    return _WORD.findall(folded)


def text_tokens(text: str) -> list[str]:
    """Folded, lightly stemmed words of a text, in order."""
    return [light_stem(word) for word in _folded_words(text or "")]


def folded_text(text: str) -> str:
    """A long field's text folded as the words are, for finding stems in it."""
    text = text or ""
    return text.casefold() if text.isascii() else fold(text)


def text_words(text: str) -> list[str]:
    """The distinct folded, lightly stemmed words of a text (order does not matter: for the
    long fields, where only which words are present counts)."""
    return [light_stem(word) for word in set(_folded_words(text or ""))]


@dataclass
class RankedText:
    """What the scorer reads of one candidate: normalised words per field, in order (the
    title's first `title_words` words are the title proper, the rest its subtitle)."""

    title: str
    fields: dict[str, list[str] | str]
    title_words: int
    year: int = 0
    # The first contributor's name in the engine's word form (set by the engine, which reads
    # contributors in their order; the author field holds every contributor's words).
    first_author: list[str] = field(default_factory=list)


@dataclass
class QueryWords:
    """The words a query asks for, as the scorer compares them, with their weights."""

    words: list[str]  # normalised, one per query word
    originals: list[str]  # as typed, for explanations and frequencies
    fields: list[str | None]  # the field a word was limited to, if any
    rarity: list[float]
    years: list[int] = field(default_factory=list)
    exact: str = ""  # the whole query as a title, for the exact-title boost
    # The query less up to MAX_EXTRA_WORDS words at its start or end, as a title, with those
    # words in the engine's form: an exact title when they are the record's authors or year.
    exact_less: list[tuple[str, list[str]]] = field(default_factory=list)

    def __len__(self):
        return len(self.words) + len([y for y in self.years if str(y) not in self.originals])


def query_leaves(tree: Node | None) -> tuple[list[Term | Phrase], list[YearRange]]:
    """The positive words and phrases (synonym originals only) and single years of a tree."""
    words: list[Term | Phrase] = []
    years: list[YearRange] = []

    def visit(node):
        if isinstance(node, Term | Phrase):
            words.append(node)
        elif isinstance(node, YearRange):
            if node.start == node.end:
                years.append(node)
        elif isinstance(node, Synonyms):
            visit(node.original)
        elif isinstance(node, And | Or):
            for child in node.children:
                visit(child)

    visit(tree)
    return words, years


def query_words(
    tree: Node | None, normalise, frequencies: dict[str, int], total: int, exact: str = ""
) -> QueryWords:
    """The query's words as `normalise` (the engine's word form) gives them, weighted by
    rarity among titles and subjects (`frequencies`: folded word → records)."""
    leaves, years = query_leaves(tree)
    words, originals, fields, rarity = [], [], [], []
    seen = set()
    for leaf in leaves:
        if isinstance(leaf, Term) and leaf.field in {"isbn", "doi"}:
            parts = [(leaf.text, "identifier")]
        else:
            parts = [(word, leaf.field) for word in _WORD.findall(leaf.text.casefold())]
        for original, limited in parts:
            normalised = normalise(original)
            if not normalised or (normalised, limited) in seen:
                continue
            seen.add((normalised, limited))
            words.append(normalised)
            originals.append(original)
            fields.append(limited)
            count = frequencies.get(fold(original), 0)
            rarity.append(math.log(1 + max(total, 1) / (count + 1)))
    year_values = sorted({node.start for node in years})
    exact_text = normalise_exact(exact)
    return QueryWords(
        words,
        originals,
        fields,
        rarity,
        year_values,
        exact_text,
        exact_less(exact_text, normalise),
    )


def exact_less(exact: str, normalise) -> list[tuple[str, list[str]]]:
    """The exact-title query less one to MAX_EXTRA_WORDS words at its end or start, each as
    (the title left, the words cut in the engine's form); a title of at least two words is
    left. Stop words cut ("" from `normalise`) are left out of the words, as a name's "of" and
    "and" are; a cut of stop words only is no cut."""
    words = exact.split()
    cuts = []
    for cut in range(1, min(len(words) - 2, MAX_EXTRA_WORDS) + 1):
        for left, extra in ((words[:-cut], words[-cut:]), (words[cut:], words[:cut])):
            forms = [form for form in map(normalise, extra) if form]
            if forms:
                cuts.append((" ".join(left), forms))
    return cuts


@dataclass
class Explanation:
    """Why a record scored what it did, for staff tuning weights and synonyms."""

    score: float
    matched: int
    of: int
    parts: list[tuple[str, float]]  # (what, points)
    words: list[tuple[str, str, float]]  # (word, best field or "", points)


FIELD_OF_QUERY = {"title": "title", "author": "author", "subject": "subject"}


def score(text: RankedText, query: QueryWords, *, explain: bool = False):
    """The relevance score of one candidate (an Explanation when `explain`)."""
    title_all = text.fields.get("title", [])
    main_title = title_all[: text.title_words] if text.title_words else title_all
    subtitle = title_all[text.title_words :] if text.title_words else []
    fields = {**text.fields, "title": main_title, "subtitle": subtitle}
    # A long field may come as its folded text: a word counts when the text contains it
    # (its stem, so "abus" is found in "abused"), which spares tokenising every abstract.
    sets = {name: words if isinstance(words, str) else set(words) for name, words in fields.items()}
    total_rarity = sum(query.rarity) or 1.0
    matched = 0
    field_points = 0.0
    word_rows = []
    for word, original, limited, rarity in zip(
        query.words, query.originals, query.fields, query.rarity, strict=True
    ):
        allowed = _allowed_fields(limited)
        found = [name for name in allowed if word in sets.get(name, ())]
        if not found and original.isdigit() and int(original) in query.years:
            # A four-figure word asked as text or year ("Child X ISCP 2016").
            found = ["year"] if text.year == int(original) else []
        if not found:
            word_rows.append((original, "", 0.0))
            continue
        matched += 1
        weights = sorted((FIELD_WEIGHTS.get(name, 1.5) for name in found), reverse=True)
        points = rarity / total_rarity * (weights[0] + OTHER_FIELDS_SHARE * sum(weights[1:]))
        field_points += points
        best = max(found, key=lambda name: FIELD_WEIGHTS.get(name, 1.5))
        word_rows.append((original, best, points))
    for year in query.years:
        if str(year) in query.originals:
            continue
        matched += 1 if text.year == year else 0
        word_rows.append((str(year), "year" if text.year == year else "", 0.0))
    title_words = [
        word
        for word, limited in zip(query.words, query.fields, strict=True)
        if limited in {None, "title"}
    ]
    phrase = _longest_run(title_words, title_all) / len(title_words) if title_words else 0.0
    wanted = set(title_words)
    closeness = (
        sum(1 for word in main_title if word in wanted) / len(main_title) if main_title else 0.0
    )
    forms = _exact_forms(text)
    exact = bool(query.exact) and query.exact in forms
    if not exact and query.exact_less:
        exact = any(
            left in forms and all(_names_record(word, sets, text.year) for word in extra)
            for left, extra in query.exact_less
        )
    first_author = set(text.first_author)
    by_first_author = any(
        word in first_author and word not in sets.get("title", ())
        for word, limited in zip(query.words, query.fields, strict=True)
        if limited in {None, "author"}
    )
    parts = [
        ("coverage", COVERAGE_STEP * matched),
        ("fields", field_points),
        ("words together in the title", PHRASE_IN_TITLE * phrase if len(title_words) > 1 else 0.0),
        ("title closeness", TITLE_CLOSENESS * closeness),
        ("exact title", EXACT_TITLE if exact else 0.0),
        ("first author", FIRST_AUTHOR if by_first_author else 0.0),
    ]
    total = sum(points for _name, points in parts)
    if explain:
        return Explanation(total, matched, len(query), parts, word_rows)
    return total


def _names_record(word: str, sets: dict, year: int) -> bool:
    """Whether a word beside a title is one of the record's authors, its board or its year."""
    return (
        word in sets.get("author", ())
        or word in sets.get("board", ())
        or (word.isdigit() and int(word) == year)
    )


def _allowed_fields(limited: str | None) -> list[str]:
    if limited is None:
        return list(FIELD_WEIGHTS)
    if limited == "title":
        return ["title", "subtitle"]
    if limited in {"isbn", "doi", "identifier"}:
        return ["identifier"]
    return [limited]


def _longest_run(words: list[str], title: list[str]) -> int:
    """The most query words found one after another, in the query's order, in the title
    (one other word between two of them is allowed: proximity, not only phrases)."""
    best = 0
    for start in range(len(words)):
        for position, token in enumerate(title):
            if token != words[start]:
                continue
            run, at, index = 1, position, start + 1
            while index < len(words):
                ahead = title[at + 1 : at + 3]
                if words[index] not in ahead:
                    break
                at = at + 1 + ahead.index(words[index])
                run += 1
                index += 1
            best = max(best, run)
    return best


def _exact_forms(text: RankedText) -> set[str]:
    full = normalise_exact(text.title)
    forms = {full}
    if " : " in text.title:
        forms.add(normalise_exact(text.title.split(" : ", 1)[0]))
    return forms


def rank(
    candidates: list[int], texts: dict[int, RankedText], query: QueryWords, recency: dict
) -> list[int]:
    """The candidates best first; equal scores newest first (`recency`: id → position in
    newest-first order)."""
    scored = [
        (score(texts[pk], query) if pk in texts else 0.0, recency.get(pk, 0), pk)
        for pk in candidates
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [pk for _score, _recency, pk in scored]
