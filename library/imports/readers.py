"""Which reader reads a file: named by the user, or guessed from the file's first bytes."""

import re
from collections.abc import Callable, Iterator

from library.imports.marc import read_marc, read_marcxml
from library.imports.records import ImportedRecord, Rejection, UnreadableFile
from library.imports.references import read_bibtex, read_csv, read_ris

FORMATS = ["marc", "marcxml", "ris", "bibtex", "csv"]
_TEXT_READERS: dict[str, Callable[[str], Iterator]] = {
    "ris": read_ris,
    "bibtex": read_bibtex,
    "csv": read_csv,
}


def guess_format(data: bytes) -> str:
    """The format of a file from its start; UnreadableFile when it is none of ours."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:5].isdigit() and len(data) >= 24 and b"\x1e" in data[:100_000]:
        return "marc"
    if head.startswith(b"<") and (b"MARC21/slim" in head or b"<record" in head):
        return "marcxml"
    text = head.decode("utf-8", errors="replace")
    if re.search(r"^TY  - ", text, re.MULTILINE):
        return "ris"
    if re.search(r"^\s*@\w+\s*[{(]", text, re.MULTILINE):
        return "bibtex"
    first_line = text.splitlines()[0].lower() if text else ""
    if "title" in [cell.strip(' "') for cell in first_line.split(",")]:
        return "csv"
    raise UnreadableFile(
        "the format could not be recognised; name it with --format (one of "
        + ", ".join(FORMATS)
        + ")"
    )


def read_records(data: bytes, format_name: str | None = None):
    """(format, records and rejections in file order) for a file's bytes.

    Raises UnreadableFile when the file cannot be read at all."""
    format_name = format_name or guess_format(data)
    if format_name == "marc":
        return format_name, read_marc(data)
    if format_name == "marcxml":
        return format_name, read_marcxml(data)
    if format_name not in _TEXT_READERS:
        raise UnreadableFile(f"“{format_name}” is not a format; use one of {', '.join(FORMATS)}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older reference manager exports are Windows-1252; every byte decodes in it.
        text = data.decode("cp1252", errors="replace")
    return format_name, _TEXT_READERS[format_name](text)


__all__ = ["FORMATS", "ImportedRecord", "Rejection", "guess_format", "read_records"]
