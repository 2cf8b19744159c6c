"""Search engines behind one interface; settings choose which one runs."""

from django.conf import settings
from django.db import connection


def get_engine():
    """Elasticsearch when ELASTICSEARCH_URL is set, else the database's own full text."""
    if settings.ELASTICSEARCH_URL:
        from library.search.engines.elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine(settings.ELASTICSEARCH_URL)
    if connection.vendor == "postgresql":
        from library.search.engines.postgres import PostgresEngine

        return PostgresEngine()
    from library.search.engines.sqlite import SqliteEngine

    return SqliteEngine()
