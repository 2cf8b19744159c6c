from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home and site pages"

    def ready(self):
        from home import checks  # noqa: F401 - registers the deployment checks
