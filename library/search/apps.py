from django.apps import AppConfig


class CatalogueSearchConfig(AppConfig):
    name = "library.search"
    label = "catalogue_search"
    verbose_name = "Catalogue search index"

    def ready(self):
        from library.search import signals  # noqa: F401 - connects index maintenance
