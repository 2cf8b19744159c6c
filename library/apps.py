from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Library catalogue"

    def ready(self):
        from library.visibility import connect_signals

        connect_signals()
