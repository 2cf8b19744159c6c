from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Library catalogue"

    def ready(self):
        from library import signals  # noqa: F401 - connects visibility, index and detail upkeep
