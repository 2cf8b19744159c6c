"""The search engine's part of `/healthz` (home.health): does the configured engine answer?"""

from library.search.engines import get_engine
from library.search.engines.base import SearchUnavailable
from library.search.query import Term
from library.visibility import RecordFilter


def search_answers() -> bool:
    """The engine answers a one-word query (its snapshot and, for Elasticsearch, the cluster);
    what it finds is not looked at."""
    engine = get_engine()
    try:
        engine.finds_any(Term("healthz"), RecordFilter(), snapshot=engine.snapshot())
    except SearchUnavailable:
        return False
    return True
