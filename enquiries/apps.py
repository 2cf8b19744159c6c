from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = "Information Service enquiries"

    def ready(self):
        # Connects the receiver that queues each stored outbox message on commit.
        from enquiries import tasks  # noqa: F401
