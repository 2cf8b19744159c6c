"""Form pieces every public form shares: accessible error wiring and the spam traps."""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _


class AccessibleErrorsMixin:
    """Point each field's aria-describedby at its hint and, once invalid, its error message."""

    def describe_fields(self) -> None:
        for name, field in self.fields.items():
            ids = []
            if name in getattr(self, "_errors", None) or {}:
                ids.append(f"id_{name}-error")
            if field.help_text:
                ids.append(f"id_{name}-help")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def full_clean(self):
        super().full_clean()
        self.describe_fields()


class SpamTrapForm(forms.Form):
    """A honeypot field people never fill and a signed time trap: a form sent too soon after
    it was shown looks automated, and one shown too long ago cannot be replayed.

    Subclasses set `timestamp_salt` and answer `minimum_fill_seconds()` and `max_age()`.
    """

    # Named when this lived in `home`; kept, so forms shown before an upgrade still validate.
    timestamp_salt = "home.form-started"

    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=forms.TextInput
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        # A fresh timestamp every time the form is shown, including after errors.
        self.initial["started"] = signing.dumps(time.time(), salt=self.timestamp_salt)
        if self.is_bound:
            data = self.data.copy()
            data["started"] = self.initial["started"]
            self.submitted_started = self.data.get("started", "")
            self.data = data

    def minimum_fill_seconds(self) -> float:
        return 3

    def max_age(self) -> int:
        return 4 * 60 * 60

    def spam_reason(self) -> str | None:
        """Why this submission looks automated (or, "expired", stale), or None."""
        if self.data.get("website"):
            return "honeypot"
        try:
            started = signing.loads(
                self.submitted_started, salt=self.timestamp_salt, max_age=self.max_age()
            )
        except signing.SignatureExpired:
            return "expired"
        except signing.BadSignature:
            return "no-timestamp"
        if time.time() - float(started) < self.minimum_fill_seconds():
            return "too-fast"
        return None
