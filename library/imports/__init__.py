"""Bringing records into the catalogue: MARC 21, MARCXML, RIS, BibTeX and CSV.

Each reader turns a file into neutral `ImportedRecord`s (or `Rejection`s, with their position
in the file); `import_records` checks and writes them, and `IndexAndPrepare` indexes them and
prepares their API details chunk by chunk, beside the import in worker processes or after it
(`index_and_prepare`). The command `import_records` and the admin's import
screen both go through here.
"""
