"""What the demo loader remembers between runs, so a restart can skip it."""

from django.db import models


class DemoContentState(models.Model):
    """One row: the fingerprint of the demo content last loaded into this database, and how
    many synthetic records the loader added. `load_demo_content` compares the fingerprint with
    the code's and does nothing more when they match (a restart on any catalogue size)."""

    key = models.CharField(max_length=20, primary_key=True, default="demo")
    fingerprint = models.CharField(max_length=64)
    synthetic_records = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "demo content state"

    def __str__(self) -> str:
        return f"demo content {self.fingerprint[:12]}"
