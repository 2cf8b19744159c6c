from django.apps import AppConfig


class ShelfmarkCoreConfig(AppConfig):
    """The pieces every Shelfmark app shares: site settings (contacts, navigation), the outbox,
    the rate limiter, the public forms' spam traps and each app setting's default.

    It has its own label so a host project's `home` app never clashes with it.
    """

    name = "shelfmark_core"
    label = "shelfmark_core"
    verbose_name = "Shelfmark"
    default_auto_field = "django.db.models.BigAutoField"
