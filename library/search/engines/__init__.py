"""Search engines behind one interface; `SHELFMARK_SEARCH["ENGINE"]` names the one in use.

As Wagtail's search backends are, the engine is a dotted path in settings with its options
beside it, built once per process (it holds the process's search snapshot)."""

import threading

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from shelfmark_core.conf import search_engine_setting

_lock = threading.Lock()
_engine = None


def get_engine():
    """The configured engine (config/settings/base.py chooses SQLite FTS5, PostgreSQL full
    text or Elasticsearch from the environment; a host site without SHELFMARK_SEARCH gets its
    database's own full text)."""
    global _engine  # noqa: PLW0603 - one engine per process
    engine = _engine
    if engine is None:
        with _lock:
            if _engine is None:
                config = search_engine_setting()
                _engine = import_string(config["ENGINE"])(**config.get("OPTIONS", {}))
            engine = _engine
    return engine


@receiver(setting_changed)
def forget_engine(setting, **kwargs):
    """Tests that change the search settings get an engine built from the new ones."""
    global _engine  # noqa: PLW0603
    if setting == "SHELFMARK_SEARCH":
        _engine = None
