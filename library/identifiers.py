"""Normalise and validate the identifiers cataloguers type: ISBN, ISSN and DOI.

Pure functions: each `normalise_*` returns the canonical form or raises `ValueError` with a
sentence a librarian can act on.
"""

import re

_ISBN_CHARS = re.compile(r"[\s\-‐‑–]")
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


def _isbn10_check_digit(digits: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _isbn13_check_digit(digits: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return str((10 - total % 10) % 10)


def normalise_isbn(value: str) -> str:
    """An ISBN-10 or ISBN-13 without hyphens or spaces, with its check digit verified."""
    compact = _ISBN_CHARS.sub("", value or "").upper()
    if compact.startswith("ISBN"):
        compact = compact[4:].lstrip(":")
    if re.fullmatch(r"\d{9}[\dX]", compact):
        if compact[-1] != _isbn10_check_digit(compact):
            raise ValueError(
                f"The ISBN {value.strip()} has a wrong check digit; check it against the book."
            )
        return compact
    if re.fullmatch(r"97[89]\d{10}", compact):
        if compact[-1] != _isbn13_check_digit(compact):
            raise ValueError(
                f"The ISBN {value.strip()} has a wrong check digit; check it against the book."
            )
        return compact
    raise ValueError(
        "An ISBN has 10 digits (the last may be X) or 13 digits starting 978 or 979; "
        "hyphens and spaces are fine."
    )


def isbn_to_13(isbn: str) -> str:
    """The ISBN-13 form of a normalised ISBN (ISBN-13s are returned unchanged)."""
    if len(isbn) == 13:
        return isbn
    body = "978" + isbn[:9]
    return body + _isbn13_check_digit(body)


def isbn_to_10(isbn: str) -> str:
    """The ISBN-10 form of a normalised 978 ISBN-13 (ISBN-10s unchanged), or "" if none."""
    if len(isbn) == 10:
        return isbn
    if len(isbn) != 13 or not isbn.startswith("978"):
        return ""
    body = isbn[3:12]
    return body + _isbn10_check_digit(body)


def normalise_issn(value: str) -> str:
    """An ISSN as NNNN-NNNC with its check digit verified."""
    compact = _ISBN_CHARS.sub("", value or "").upper()
    if compact.startswith("ISSN"):
        compact = compact[4:].lstrip(":")
    if not re.fullmatch(r"\d{7}[\dX]", compact):
        raise ValueError("An ISSN has eight characters, such as 0007-0769 or 1468-263X.")
    total = sum((8 - i) * int(d) for i, d in enumerate(compact[:7]))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if compact[-1] != expected:
        raise ValueError(
            f"The ISSN {value.strip()} has a wrong check digit; check it against the journal."
        )
    return f"{compact[:4]}-{compact[4:]}"


def normalise_doi(value: str) -> str:
    """A DOI as 10.prefix/suffix in lower case, without a resolver address or 'doi:'."""
    compact = _DOI_PREFIXES.sub("", (value or "").strip()).strip()
    if not _DOI_SHAPE.match(compact):
        raise ValueError(
            "A DOI starts with 10. followed by a prefix, a slash and a suffix, "
            "for example 10.1093/bjsw/bcq084."
        )
    return compact.lower()


def normalise_title(value: str) -> str:
    """A title reduced to lower-case words, for spotting duplicates."""
    words = re.findall(r"\w+", (value or "").casefold())
    return " ".join(words)
