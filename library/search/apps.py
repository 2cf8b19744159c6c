from django.apps import AppConfig


class CatalogueSearchConfig(AppConfig):
    name = "library.search"
    label = "catalogue_search"
    verbose_name = "Catalogue search index"
