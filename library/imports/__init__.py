"""Bringing records into the catalogue: MARC 21, MARCXML, RIS, BibTeX and CSV.

Each reader turns a file into neutral `ImportedRecord`s (or `Rejection`s, with their position
in the file); `import_records` checks and writes them, then `index_and_prepare` indexes them
and prepares their API details in bulk. The command `import_records` and the admin's import
screen both go through here.
"""
