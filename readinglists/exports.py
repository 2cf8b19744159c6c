"""A whole reading list as RIS, BibTeX, CSL-JSON or a formatted bibliography.

Entries become CSL-JSON items (catalogued ones through the catalogue's `record_to_csl`),
and the catalogue's own exporters and citation renderer do the rest, so a list exports
exactly as its records do one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from library.formats.citations import (
    AVAILABLE_STYLES,
    DEFAULT_STYLE,
    UnknownStyle,
    get_style,
    render_bibliography,
)
from library.formats.exporters import export

# URL segment -> (exporter format name, label shown to readers).
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "ris": ("ris", "RIS"),
    "bibtex": ("bibtex", "BibTeX"),
    "csl-json": ("csl-json", "CSL-JSON"),
    "marcxml": ("marcxml", "MARC 21 (MARCXML, catalogued entries only)"),
    "dc": ("dc", "Dublin Core (catalogued entries only)"),
}
# Formats that describe catalogue records only: a list's own citations are left out of them.
RECORDS_ONLY = frozenset({"marcxml", "dc"})


@dataclass(frozen=True)
class ExportedList:
    """A list rendered in one format, ready to send as a download."""

    content: str | bytes
    content_type: str
    filename: str


def export_list(title: str, items: list[Any], format_name: str) -> ExportedList:
    """A list's CSL-JSON `items` (its catalogue records for `RECORDS_ONLY` formats), in list
    order, in one of `EXPORT_FORMATS`, as a download named after the list's `title`."""
    exported = export(items, EXPORT_FORMATS[format_name][0])
    extension = exported.filename_extension.lstrip(".")
    media_type = exported.media_type
    if "charset" not in media_type and isinstance(exported.content, str):
        media_type += "; charset=utf-8"
    return ExportedList(
        content=exported.content,
        content_type=media_type,
        filename=f"{slugify(title)[:80] or 'reading-list'}.{extension}",
    )


def bibliography_context(items: list[dict[str, Any]], style_name: str) -> dict[str, Any]:
    """Template context for the bibliography view of a list's CSL-JSON `items`: the styles,
    the chosen one, the entries.

    An unknown style gets a message and the default style, never an error page.
    """
    message = ""
    try:
        style = get_style(style_name or DEFAULT_STYLE)
    except UnknownStyle:
        message = _(
            "We do not offer a citation style called “%(name)s”; the list is shown in "
            "%(default)s. Choose another style below."
        ) % {"name": style_name[:80], "default": get_style(DEFAULT_STYLE).label}
        style = get_style(DEFAULT_STYLE)
    return {
        "styles": AVAILABLE_STYLES,
        "chosen_style": style,
        "style_message": message,
        "bibliography": render_bibliography(items, style=style.name),
    }
