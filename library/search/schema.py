"""DDL for the embedded engines' full-text tables, per database vendor."""

SQLITE_FTS_COLUMNS = (
    "title",
    "author",
    "subject",
    "keyword",
    "publisher",
    "board",
    "identifier",
    "body",
)

SQLITE_TOKENIZER = "tokenize = 'porter unicode61 remove_diacritics 2'"
# Titles and subjects again, in a table of their own: relevance asks which matches are in a
# title or subject, and a column filter on the main table would read every match's positions.
SQLITE_PRIMARY_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_search_primary USING fts5("
    f"title, subject, {SQLITE_TOKENIZER})"
)
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_search_fts USING fts5("
    + ", ".join(SQLITE_FTS_COLUMNS)
    + f", {SQLITE_TOKENIZER})",
    SQLITE_PRIMARY_CREATE,
    # Unstemmed words of titles and subjects, for "did you mean" suggestions.
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_search_spell USING fts5("
    "words, tokenize = 'unicode61 remove_diacritics 2', detail = none)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_search_spell_vocab "
    "USING fts5vocab(catalogue_search_spell, 'row')",
]
SQLITE_DROP = [
    "DROP TABLE IF EXISTS catalogue_search_spell_vocab",
    "DROP TABLE IF EXISTS catalogue_search_spell",
    "DROP TABLE IF EXISTS catalogue_search_primary",
    "DROP TABLE IF EXISTS catalogue_search_fts",
]

PG_FIELDS = ("title", "author", "subject", "keyword", "publisher", "board", "identifier", "body")
PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'shelfmark_english') THEN
            CREATE TEXT SEARCH CONFIGURATION shelfmark_english (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION shelfmark_english
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'shelfmark_simple') THEN
            CREATE TEXT SEARCH CONFIGURATION shelfmark_simple (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION shelfmark_simple
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    "CREATE TABLE IF NOT EXISTS catalogue_search_pg (record_id bigint PRIMARY KEY, "
    + ", ".join(f"{name} tsvector NOT NULL" for name in PG_FIELDS)
    + ", document tsvector NOT NULL, title_text text NOT NULL, body_text text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS catalogue_search_pg_document "
    "ON catalogue_search_pg USING gin (document)",
    *[
        f"CREATE INDEX IF NOT EXISTS catalogue_search_pg_{name} "
        f"ON catalogue_search_pg USING gin ({name})"
        for name in PG_FIELDS
        if name != "body"
    ],
    "CREATE TABLE IF NOT EXISTS catalogue_search_pg_words (word text PRIMARY KEY, "
    "docs integer NOT NULL)",
    "CREATE INDEX IF NOT EXISTS catalogue_search_pg_words_trgm "
    "ON catalogue_search_pg_words USING gin (word gin_trgm_ops)",
]
# Each (lexeme or pair of adjacent lexemes, field, block of record ids) with the records that
# have it, packed (library.search.engines.pg_postings). Keyed by field first and compared by
# code point ("C"), so a word beginning is a range of one field's lexemes that never passes
# through the pairs (fields of their own). Stored uncompressed: read often, written in small
# rows.
PG_POSTINGS_CREATE = [
    "CREATE TABLE IF NOT EXISTS catalogue_search_pg_postings ("
    'lexeme text COLLATE "C" NOT NULL, field smallint NOT NULL, block integer NOT NULL, '
    "ids bytea NOT NULL, PRIMARY KEY (field, lexeme, block))",
    "ALTER TABLE catalogue_search_pg_postings ALTER COLUMN ids SET STORAGE EXTERNAL",
]
PG_DROP = [
    "DROP TABLE IF EXISTS catalogue_search_pg_postings",
    "DROP TABLE IF EXISTS catalogue_search_pg_words",
    "DROP TABLE IF EXISTS catalogue_search_pg",
]


def create_tables(apps, schema_editor):
    """Create the full-text tables for the database in use."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop_tables(apps, schema_editor):
    """Drop the full-text tables for the database in use."""
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(vendor, []):
        schema_editor.execute(statement)


def create_postings(apps, schema_editor):
    """Replace the unused title-and-subject tsvector (nothing has read it since relevance
    picks candidates by title words) with the postings, filled from the tsvectors there are
    (no rebuild needed)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from library.search.engines.pg_postings import rebuild_postings

    schema_editor.execute("DROP INDEX IF EXISTS catalogue_search_pg_primary")
    schema_editor.execute("ALTER TABLE catalogue_search_pg DROP COLUMN IF EXISTS primary_document")
    for statement in PG_POSTINGS_CREATE:
        schema_editor.execute(statement)
    rebuild_postings()


def drop_postings(apps, schema_editor):
    """Back to the tsvector of titles and subjects (empty until the next rebuild)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TABLE IF EXISTS catalogue_search_pg_postings")
    schema_editor.execute(
        "ALTER TABLE catalogue_search_pg ADD COLUMN IF NOT EXISTS primary_document tsvector "
        "NOT NULL DEFAULT ''::tsvector"
    )


def create_primary_table(apps, schema_editor):
    """Add the title-and-subject table to an index built before it existed, filled from the
    main table's stored text (no rebuild needed)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(SQLITE_PRIMARY_CREATE)
    schema_editor.execute("DELETE FROM catalogue_search_primary")
    schema_editor.execute(
        "INSERT INTO catalogue_search_primary(rowid, title, subject) "
        "SELECT rowid, title, subject FROM catalogue_search_fts"
    )


def drop_primary_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS catalogue_search_primary")
