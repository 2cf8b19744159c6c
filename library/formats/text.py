"""Text clean-up shared by every format: rich text to plain text, and XML-safe strings."""

import html
import re

from django.utils.html import strip_tags

# Characters XML 1.0 forbids; a stray one pasted into a field must not break a whole export.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BLOCK_END = re.compile(r"(</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """A field value as a string without characters that XML (and most tools) reject."""
    if value is None:
        return ""
    return _XML_FORBIDDEN.sub("", str(value)).strip()


def single_line(value: object) -> str:
    """A value on one line with runs of whitespace collapsed (RIS, MARC and BibTeX need this)."""
    return _SPACES.sub(" ", clean_text(value)).strip()


def html_to_text(value: str) -> str:
    """Rich text HTML as plain text: paragraphs separated by a blank line, entities decoded."""
    if not value:
        return ""
    marked = _BLOCK_END.sub(lambda match: match.group(0) + "\n\n", value)
    text = html.unescape(strip_tags(marked))
    paragraphs = (single_line(paragraph) for paragraph in re.split(r"\n\s*\n", text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


# A free citation's "et al." (authors it does not name) travels as a last, literal author, so
# any CSL-JSON reader shows it; each writer then renders it its own way.
ET_AL = "et al."
_ET_AL_SPELLINGS = {"et al", "et al."}


def et_al_name() -> dict[str, str]:
    """The CSL name that stands for further, unnamed authors."""
    return {"literal": ET_AL}


def is_et_al(name: dict) -> bool:
    """Whether a CSL name is the "et al." marker rather than an author."""
    literal = name.get("literal")
    return isinstance(literal, str) and literal.strip().lower() in _ET_AL_SPELLINGS
