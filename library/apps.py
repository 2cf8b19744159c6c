from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Library catalogue"

    def ready(self):
        from library import signals  # noqa: F401 - connects index and detail upkeep
        from library.visibility import connect_signals

        connect_signals()
