"""One entry point for every export format: `export(items_or_records, format_name)`.

RIS, BibTeX and CSL-JSON are written from CSL-JSON items, so a reading list can export entries
that are not in the catalogue; catalogue records passed to them are converted first. MARCXML
and Dublin Core describe catalogue records and need the records themselves.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from library.formats.bibtex import csl_to_bibtex
from library.formats.csl import records_to_csl
from library.formats.dublin_core import records_to_dc_xml
from library.formats.marc import records_to_marcxml
from library.formats.ris import csl_to_ris
from library.models import CatalogueRecord


class UnknownFormat(ValueError):
    """Raised for an export format name that is not in the registry."""

    def __init__(self, name: str):
        self.name = name
        self.valid = list(EXPORT_FORMATS)
        super().__init__(
            gettext("“%(name)s” is not an export format; choose one of: %(valid)s.")
            % {"name": name, "valid": ", ".join(self.valid)}
        )


class RecordsRequired(ValueError):
    """Raised when a records-only format (MARCXML, Dublin Core) is given CSL items."""


@dataclass(frozen=True)
class ExportFormat:
    """An export format: its URL name, label, media type, file extension and writer."""

    name: str
    label: str | Promise
    media_type: str
    extension: str
    write: Callable[..., str]
    needs_records: bool = False

    @property
    def content_type(self) -> str:
        """The HTTP Content-Type, with the UTF-8 charset every writer produces."""
        return f"{self.media_type}; charset=utf-8"


@dataclass(frozen=True)
class Export:
    """The result of an export: the file's text and how to serve it."""

    content: str
    media_type: str
    filename_extension: str
    format_name: str

    @property
    def content_type(self) -> str:
        """The HTTP Content-Type header value."""
        return f"{self.media_type}; charset=utf-8"

    def filename(self, stem: str) -> str:
        """A download name such as "munro-2013.ris" for the given stem."""
        return f"{stem}.{self.filename_extension}"


def _csl_json(items: list[dict], base_url: str = "") -> str:
    return json.dumps(items, ensure_ascii=False, indent=2, default=str) + "\n"


def _from_csl(writer: Callable[[list[dict]], str]) -> Callable[..., str]:
    def write(items: list[dict], base_url: str = "") -> str:
        return writer(items)

    return write


_FORMATS = [
    ExportFormat(
        "ris",
        _("RIS (EndNote, Zotero, Mendeley)"),
        "application/x-research-info-systems",
        "ris",
        _from_csl(csl_to_ris),
    ),
    ExportFormat("bibtex", _("BibTeX"), "application/x-bibtex", "bib", _from_csl(csl_to_bibtex)),
    ExportFormat(
        "csl-json", _("CSL-JSON"), "application/vnd.citationstyles.csl+json", "json", _csl_json
    ),
    ExportFormat(
        "marcxml",
        _("MARC 21 (MARCXML)"),
        "application/marcxml+xml",
        "xml",
        records_to_marcxml,
        needs_records=True,
    ),
    ExportFormat(
        "dc",
        _("Dublin Core (oai_dc XML)"),
        "application/xml",
        "xml",
        records_to_dc_xml,
        needs_records=True,
    ),
]
EXPORT_FORMATS: dict[str, ExportFormat] = {
    export_format.name: export_format for export_format in _FORMATS
}


def get_format(name: str | None) -> ExportFormat:
    """The registered format called `name` (case and surrounding spaces ignored)."""
    try:
        return EXPORT_FORMATS[(name or "").strip().lower()]
    except KeyError:
        raise UnknownFormat(name or "") from None


def export(
    items_or_records: Iterable[dict | CatalogueRecord], format_name: str, base_url: str = ""
) -> Export:
    """Write records or CSL items in the named format.

    Records and CSL items may be mixed for RIS, BibTeX and CSL-JSON; MARCXML and Dublin Core
    take records only. `base_url` makes catalogue addresses absolute. Raises `UnknownFormat`
    (listing the valid names) or `RecordsRequired`.
    """
    export_format = get_format(format_name)
    entries = list(items_or_records)
    if export_format.needs_records:
        if not all(isinstance(entry, CatalogueRecord) for entry in entries):
            raise RecordsRequired(
                gettext(
                    "%(label)s describes catalogue records only; export the entries that are "
                    "not in the catalogue as RIS, BibTeX or CSL-JSON instead."
                )
                % {"label": export_format.label}
            )
        content = export_format.write(entries, base_url=base_url)
    else:
        items = [
            records_to_csl([entry], base_url)[0] if isinstance(entry, CatalogueRecord) else entry
            for entry in entries
        ]
        content = export_format.write(items, base_url=base_url)
    return Export(
        content=content,
        media_type=export_format.media_type,
        filename_extension=export_format.extension,
        format_name=export_format.name,
    )
