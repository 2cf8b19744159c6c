"""BibTeX from CSL-JSON items, written by bibtexparser 2.

Values are LaTeX-escaped here (bibtexparser adds the enclosing braces); letters with diacritics
stay as UTF-8, which biber and modern BibTeX read. Words with capitals in titles are braced so
that styles which lower-case titles keep "SCIE" and proper names as they are.
"""

import re
import unicodedata

from bibtexparser import Library, write_string
from bibtexparser.model import Entry, Field

from library.formats.csl import issued_parts, item_keywords, split_pages
from library.formats.text import is_et_al, single_line

BIBTEX_TYPES: dict[str, str] = {
    "book": "book",
    "report": "techreport",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "chapter": "incollection",
    "thesis": "phdthesis",
}

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_WORD_PARTS = re.compile(r"(\W*)(.*?)(\W*)", re.DOTALL)
_KEY_STOPWORDS = {"a", "an", "the", "of", "on", "in", "and", "for", "to", "at", "with"}


def latex_escape(value: object) -> str:
    """Text with LaTeX's special characters escaped, on one line."""
    return "".join(_LATEX_SPECIALS.get(char, char) for char in single_line(value))


def protected_title(title: str) -> str:
    """An escaped title with capitalised words (after the first letter) wrapped in braces."""
    protected = []
    for index, word in enumerate(single_line(title).split(" ")):
        before, core, after = _WORD_PARTS.fullmatch(word).groups()
        capitals = core[1:] if index == 0 and not before else core
        escaped = latex_escape(core)
        if any(char.isupper() for char in capitals):
            escaped = f"{{{escaped}}}"
        protected.append(latex_escape(before) + escaped + latex_escape(after))
    return " ".join(protected)


def bibtex_name(name: dict) -> str:
    """A CSL name for BibTeX: "Family, Given", an organisation braced so it is not split, and
    "others" (BibTeX's own "et al.") for unnamed further authors."""
    if is_et_al(name):
        return "others"
    if "literal" in name:
        return "{" + latex_escape(name["literal"]) + "}"
    family, given = latex_escape(name.get("family")), latex_escape(name.get("given"))
    return f"{family}, {given}" if given else family


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(item: dict) -> str:
    """A readable key: first author, year, first significant title word (munro2013undertaking)."""
    names = item.get("author") or item.get("editor") or item.get("compiler") or [{}]
    first = names[0]
    name = first.get("family") or (first.get("literal") or "").split(" ")[0]
    parts = issued_parts(item)
    year = str(parts[0]) if parts else "nd"
    title_words = [_ascii_word(word) for word in str(item.get("title", "")).split()]
    title_word = next((w for w in title_words if w and w not in _KEY_STOPWORDS), "")
    return (_ascii_word(name) or "anon") + year + title_word


def unique_keys(items: list[dict]) -> list[str]:
    """Citation keys for items in order, a, b, c… added to repeats so every key is unique."""
    keys: list[str] = []
    taken: set[str] = set()
    for item in items:
        base = key = citation_key(item)
        suffix = 0
        while key in taken:
            suffix += 1
            key = base + _letters(suffix)
        taken.add(key)
        keys.append(key)
    return keys


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def csl_to_bibtex_entry(item: dict, key: str) -> Entry:
    """One CSL item as a bibtexparser Entry."""
    csl_type = item.get("type", "")
    entry_type = BIBTEX_TYPES.get(csl_type, "misc")
    fields: list[Field] = []

    def add(name: str, value: str) -> None:
        if value:
            fields.append(Field(name, value))

    add("author", " and ".join(bibtex_name(name) for name in item.get("author", [])))
    editors = [*item.get("editor", []), *item.get("compiler", [])]
    add("editor", " and ".join(bibtex_name(name) for name in editors))
    add("title", protected_title(item.get("title", "")))
    parts = issued_parts(item)
    if parts:
        add("year", str(parts[0]))
        add("date", "-".join(f"{part:02d}" if i else str(part) for i, part in enumerate(parts)))
    container = latex_escape(item.get("container-title"))
    if entry_type == "article":
        add("journal", container)
    elif entry_type == "incollection":
        add("booktitle", container)
    publisher = latex_escape(item.get("publisher"))
    add("institution" if entry_type == "techreport" else "publisher", publisher)
    add("address", latex_escape(item.get("publisher-place")))
    add("type", latex_escape(item.get("genre")))
    add("edition", latex_escape(item.get("edition")))
    add("series", latex_escape(item.get("collection-title")))
    add("volume", latex_escape(item.get("volume")))
    add("number", latex_escape(item.get("issue")))
    if item.get("page"):
        start, end = split_pages(str(item["page"]))
        add("pages", latex_escape(f"{start}--{end}" if end else start))
    add("isbn", latex_escape(item.get("ISBN")))
    add("issn", latex_escape(item.get("ISSN")))
    # DOIs and URLs are read verbatim by the url package; only braces would unbalance the entry.
    add("doi", single_line(item.get("DOI")).replace("{", "%7B").replace("}", "%7D"))
    add("url", single_line(item.get("URL")).replace("{", "%7B").replace("}", "%7D"))
    add("language", latex_escape(item.get("language")))
    add("abstract", latex_escape(item.get("abstract")))
    add("keywords", ", ".join(latex_escape(term) for term in item_keywords(item)))
    add("note", latex_escape(item.get("note")))
    return Entry(entry_type, key, fields)


def csl_to_bibtex(items: list[dict]) -> str:
    """CSL items as one BibTeX file, with stable, unique citation keys."""
    library = Library()
    for item, key in zip(items, unique_keys(items), strict=True):
        library.add(csl_to_bibtex_entry(item, key))
    return write_string(library)
