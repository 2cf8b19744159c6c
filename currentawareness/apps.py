from django.apps import AppConfig


class CurrentAwarenessConfig(AppConfig):
    name = "currentawareness"
    verbose_name = "Current awareness"

    def ready(self):
        # Connects the receivers that queue each stored email on commit.
        from currentawareness import tasks  # noqa: F401
