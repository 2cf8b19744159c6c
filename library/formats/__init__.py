"""Bibliographic formats and citations shared by record pages, the API, reading lists and digests.

- `library.formats.csl`: catalogue records as CSL-JSON items, the shape everything starts from;
- `library.formats.exporters`: RIS, BibTeX, CSL-JSON, MARCXML and Dublin Core through one
  `export()` entry point and a registry of formats;
- `library.formats.citations`: formatted citations and bibliographies (citeproc-py).
"""
