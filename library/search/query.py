"""The catalogue query language: parse anything a user types into a small query tree.

Words, "quoted phrases", AND / OR / NOT (upper case), -word, parentheses, word* prefixes,
text fields (title: author: subject: keyword: publisher: isbn: doi: board:), years
(year:2013, year:2010..2015, year:2015.., year:..2010) and the facets' own fields
(nation:wales, type:report, review:"child practice review", availability:online), which
filter exactly as the facets do. Parsing never fails: what cannot be read as syntax is read as
plain words, and each such repair is noted so the user can see how the query was understood.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

TEXT_FIELDS = ("title", "author", "subject", "keyword", "publisher", "isbn", "doi", "board")
FIELD_ALIASES = {
    "authors": "author",
    "subjects": "subject",
    "keywords": "keyword",
    "ti": "title",
    "au": "author",
    "su": "subject",
    "kw": "keyword",
}
# Fields that filter on a facet's value, as the facet does (query name -> facet name).
FACET_FIELDS = {
    "nation": "nation",
    "type": "record_type",
    "review": "review_type",
    "availability": "availability",
}
FACET_FIELD_ALIASES = {
    "record_type": "type",
    "review_type": "review",
    "nations": "nation",
}
KNOWN_FIELDS = (*TEXT_FIELDS, "year", *FACET_FIELDS)
MAX_NODES = 64
EARLIEST_YEAR, LATEST_YEAR = 1000, 2999


class Node:
    """Base class of query tree nodes."""


@dataclass(frozen=True)
class Term(Node):
    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Phrase(Node):
    text: str
    field: str | None = None


@dataclass(frozen=True)
class YearRange(Node):
    start: int
    end: int


@dataclass(frozen=True)
class FacetIs(Node):
    """A facet's value as the user typed it (nation:wales); the search resolves `value` to
    one of the facet's codes or labels, and an unknown value matches nothing."""

    facet: str  # record_type, nation, review_type or availability
    value: str


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    child: Node


@dataclass(frozen=True)
class Synonyms(Node):
    """What the user typed, OR-ed with the thesaurus terms that mean the same."""

    original: Node
    alternatives: tuple[str, ...]


@dataclass
class ParsedQuery:
    """The tree (None when the query is empty or only negative) and what was repaired."""

    tree: Node | None
    notes: list[str] = field(default_factory=list)

    @property
    def understood(self) -> str:
        return describe(self.tree) if self.tree is not None else ""


# Tokens: quoted phrase (possibly unterminated), parentheses, or a run of other characters.
_TOKEN = re.compile(
    r'"(?P<phrase>[^"]*)(?P<close>"?)(?P<star>\*?)|(?P<paren>[()])|(?P<word>[^\s()"]+)'
)
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
_NEEDS_QUOTES = re.compile(r"[:()*\s]")
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:\.\.|-|–)\s*(\d{4}))?$")
# Open ranges: year:2015.. (from 2015 on) and year:..2010 (up to 2010).
_YEAR_FROM = re.compile(r"^(\d{4})\s*(?:\.\.|-|–)$")
_YEAR_TO = re.compile(r"^(?:\.\.|-|–)\s*(\d{4})$")
_FIELD_NAME = re.compile(r"^[a-z_]{2,20}$")


@dataclass
class _Token:
    kind: str  # word, phrase, open, close, and, or, not, minus_word, minus_phrase, field
    text: str = ""
    field: str | None = None


def _tokenise(text: str, notes: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    pending_field: str | None = None
    pending: re.Match | None = None  # the "field:" token that set pending_field
    negate_next = False
    for match in _TOKEN.finditer(text):
        if pending_field and match.start() != pending.end():
            # "review: information" (a space after the colon), as in a pasted title, is
            # words: only "review:scr", "title:(...)" or 'title:"..."' name a field.
            word = pending.group("word").rstrip(":")
            kind = "word"
            if word.startswith("-"):
                kind, word = "minus_word", word[1:]
            tokens.append(_Token(kind, word.lstrip("+")))
            pending_field, negate_next = None, False
        if match.group("paren"):
            if pending_field:
                tokens.append(_Token("field", field=pending_field))
                pending_field = None
            tokens.append(_Token("open" if match.group("paren") == "(" else "close"))
            continue
        if match.group("word") is not None:
            word = match.group("word")
            if word in {"AND", "OR", "NOT"} and pending_field is None:
                tokens.append(_Token(word.lower()))
                continue
            negated = False
            if word.startswith("-") and len(word) > 1:
                negated, word = True, word[1:]
            elif word in {"-", "+"}:
                negate_next = word == "-"
                continue
            elif word.startswith("+"):
                word = word[1:]
            name, sep, rest = word.partition(":")
            canonical = FIELD_ALIASES.get(name.lower(), name.lower())
            canonical = FACET_FIELD_ALIASES.get(canonical, canonical)
            if (
                sep
                and rest
                and canonical not in KNOWN_FIELDS
                and _FIELD_NAME.match(canonical)
                and not rest.startswith("//")
            ):
                notes.append(
                    _(
                        "%(field)s: is not a field this search knows, so it was searched as "
                        "words. The fields are: %(fields)s."
                    )
                    % {"field": name, "fields": ", ".join(f"{known}:" for known in KNOWN_FIELDS)}
                )
            if sep and canonical in KNOWN_FIELDS:
                if rest:
                    tokens.append(_Token("minus_word" if negated else "word", rest, canonical))
                else:
                    # "title:" followed at once by a phrase or a group
                    pending_field, pending = canonical, match
                    negate_next = negated
                continue
            if sep and not rest:
                word = name
            tokens.append(_Token("minus_word" if negated else "word", word, pending_field))
            pending_field = None
            continue
        phrase = match.group("phrase")
        if not match.group("close"):
            notes.append(_("A quotation mark was not closed, so the phrase runs to the end."))
        kind = "minus_phrase" if negate_next else "phrase"
        negate_next = False
        # A quoted single word followed by * ("x:y"*) is a prefix search on that word.
        if match.group("star") and len(phrase.split()) == 1:
            kind = kind.replace("phrase", "word")
            phrase = phrase.strip() + "*"
        tokens.append(_Token(kind, phrase, pending_field))
        pending_field = None
    if pending_field:
        notes.append(
            _("%(field)s: had nothing after it and was left out.") % {"field": pending_field}
        )
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token], notes: list[str]):
        self.tokens = tokens
        self.position = 0
        self.notes = notes
        self.depth = 0
        self.nodes = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node | None:
        node = self.parse_or()
        while self.peek() is not None:
            # Only an unmatched ")" can stop the top-level loop.
            self.take()
            self.notes.append(_("A closing bracket had no opening bracket and was ignored."))
            more = self.parse_or()
            node = _combine(And, [n for n in (node, more) if n is not None])
        return node

    def parse_or(self) -> Node | None:
        parts = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            parts.append(self.parse_and())
        present = [part for part in parts if part is not None]
        if len(parts) > 1 and len(present) < len(parts):
            self.notes.append(
                _("OR needs a search term on both sides; the empty side was ignored.")
            )
        return _combine(Or, present)

    def parse_and(self) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in {"or", "close"}:
            if token.kind == "and":
                self.take()
                if not parts or (self.peek() is None or self.peek().kind in {"or", "close", "and"}):
                    self.notes.append(_("AND needs a search term on both sides and was ignored."))
                continue
            node = self.parse_unary()
            if node is not None:
                parts.append(node)
        return _combine(And, parts)

    def parse_unary(self) -> Node | None:
        token = self.peek()
        if token.kind == "not":
            self.take()
            following = self.peek()
            if following is None or following.kind in {"or", "close", "and"}:
                self.notes.append(_("NOT needs a search term after it and was ignored."))
                return None
            child = self.parse_unary()
            if isinstance(child, Not):
                return child.child
            return Not(child) if child is not None else None
        return self.parse_atom()

    def parse_atom(self) -> Node | None:
        token = self.take()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self.notes.append(_("The query was very long; only its first part was used."))
            return None
        if token.kind == "open" or token.kind == "field":
            field_name = token.field if token.kind == "field" else None
            if token.kind == "field":
                if self.peek() is None or self.peek().kind != "open":
                    return None
                self.take()
            self.depth += 1
            inner = self.parse_or() if self.depth < 8 else None
            self.depth -= 1
            if self.peek() is not None and self.peek().kind == "close":
                self.take()
            else:
                self.notes.append(_("A bracket was not closed, so it was closed at the end."))
            if inner is not None and field_name:
                inner = _apply_field(inner, field_name)
            return inner
        if token.kind == "close":
            return None
        negated = token.kind.startswith("minus_")
        kind = token.kind.removeprefix("minus_")
        node = _leaf(kind, token.text, token.field, self.notes)
        if node is None:
            return None
        return Not(node) if negated else node


def _apply_field(node: Node, field_name: str) -> Node:
    """Push a field given to a group down to its words and phrases."""
    if field_name in FACET_FIELDS and isinstance(node, Term | Phrase) and node.field is None:
        return FacetIs(FACET_FIELDS[field_name], node.text)
    if isinstance(node, Term) and node.field is None:
        return Term(node.text, field_name, node.prefix)
    if isinstance(node, Phrase) and node.field is None:
        return Phrase(node.text, field_name)
    if isinstance(node, And | Or):
        return type(node)(tuple(_apply_field(child, field_name) for child in node.children))
    if isinstance(node, Not):
        return Not(_apply_field(node.child, field_name))
    return node


def _leaf(kind: str, text: str, field_name: str | None, notes: list[str]) -> Node | None:
    if field_name in FACET_FIELDS:
        value = " ".join(text.split()).rstrip("*")
        return FacetIs(FACET_FIELDS[field_name], value) if value else None
    if field_name == "year":
        years = _year_range(text.strip())
        if years is not None:
            return years
        notes.append(
            _(
                "year:%(text)s is not a year or range such as year:2013, year:2010..2015, "
                "year:2015.. or year:..2010, so it was searched as words."
            )
            % {"text": text}
        )
        field_name = None
    if kind == "phrase":
        words = text.split()
        if not any(_WORD_CHARS.search(word) for word in words):
            return None
        if len(words) == 1:
            return Term(words[0], field_name)
        return Phrase(" ".join(words), field_name)
    prefix = text.endswith("*")
    core = text.rstrip("*")
    if not _WORD_CHARS.search(core):
        return None
    if prefix and len(re.sub(r"\W", "", core)) < 2:
        notes.append(_("%(text)s is too short to search for word beginnings.") % {"text": text})
        prefix = False
    return Term(core, field_name, prefix)


def _year_range(text: str) -> YearRange | None:
    if match := _YEAR.match(text):
        start = int(match.group(1))
        end = int(match.group(2) or start)
        return YearRange(min(start, end), max(start, end))
    if match := _YEAR_FROM.match(text):
        return YearRange(int(match.group(1)), LATEST_YEAR)
    if match := _YEAR_TO.match(text):
        return YearRange(EARLIEST_YEAR, int(match.group(1)))
    return None


def _combine(kind: type[And] | type[Or], parts: list[Node]) -> Node | None:
    flat: list[Node] = []
    for part in parts:
        if isinstance(part, kind):
            flat.extend(part.children)
        else:
            flat.append(part)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def parse_query(text: str) -> ParsedQuery:
    """Parse user input into a query tree; never raises."""
    notes: list[str] = []
    tokens = _tokenise(text or "", notes)
    tree = _Parser(tokens, notes).parse()
    if tree is not None and _only_negative(tree):
        notes.append(_("A search made only of exclusions matches everything else; add a word."))
    return ParsedQuery(tree=tree, notes=list(dict.fromkeys(notes)))


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        # "-type:report" or "NOT year:..2000" filters what is there; it excludes no words.
        return not isinstance(node.child, FacetIs | YearRange)
    if isinstance(node, And):
        return all(_only_negative(child) for child in node.children)
    return False


def describe(node: Node) -> str:
    """The tree written back in the query language, as it was understood."""
    if isinstance(node, Term):
        text = node.text
        if _NEEDS_QUOTES.search(text) or text in {"AND", "OR", "NOT"} or text[:1] in "-+":
            text = f'"{text}"'  # a quoted single word: its characters are not syntax
        text += "*" if node.prefix else ""
        return f"{node.field}:{text}" if node.field else text
    if isinstance(node, Phrase):
        return f'{node.field}:"{node.text}"' if node.field else f'"{node.text}"'
    if isinstance(node, YearRange):
        if node.start == node.end:
            return f"year:{node.start}"
        if node.end == LATEST_YEAR:
            return f"year:{node.start}.."
        if node.start == EARLIEST_YEAR:
            return f"year:..{node.end}"
        return f"year:{node.start}..{node.end}"
    if isinstance(node, FacetIs):
        name = next(key for key, facet in FACET_FIELDS.items() if facet == node.facet)
        value = f'"{node.value}"' if _NEEDS_QUOTES.search(node.value) else node.value
        return f"{name}:{value}"
    if isinstance(node, Synonyms):
        extra = " OR ".join(f'"{alt}"' if " " in alt else alt for alt in node.alternatives)
        return f"({describe(node.original)} OR {extra})"
    if isinstance(node, Not):
        return f"NOT {_describe_grouped(node.child)}"
    if isinstance(node, And):
        return " AND ".join(_describe_grouped(child) for child in node.children)
    if isinstance(node, Or):
        return " OR ".join(_describe_grouped(child, inside_or=True) for child in node.children)
    raise TypeError(node)


def _describe_grouped(node: Node, inside_or: bool = False) -> str:
    text = describe(node)
    needs_brackets = isinstance(node, Or) or (isinstance(node, And) and inside_or)
    return f"({text})" if needs_brackets else text


def walk(node: Node):
    """Every node of the tree, parents before children."""
    yield node
    if isinstance(node, And | Or):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)
    elif isinstance(node, Synonyms):
        yield from walk(node.original)


def replace_facet_values(node: Node, resolve) -> Node:
    """The tree with each FacetIs replaced by `resolve(node)`."""
    if isinstance(node, FacetIs):
        return resolve(node)
    if isinstance(node, And | Or):
        return type(node)(tuple(replace_facet_values(child, resolve) for child in node.children))
    if isinstance(node, Not):
        return Not(replace_facet_values(node.child, resolve))
    return node


def positive_leaves(tree: Node | None) -> list[Node]:
    """Words, phrases and synonym groups the user asked for, outside any NOT."""
    if tree is None:
        return []
    leaves: list[Node] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Term | Phrase | Synonyms):
            leaves.append(node)
        elif isinstance(node, And | Or):
            stack.extend(reversed(node.children))
    return leaves
