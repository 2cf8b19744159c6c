"""Admin forms for catalogue records.

Librarians paste identifiers as printed ("ISBN 978-1-84196-337-6", "https://doi.org/..."),
which are longer than the stored forms; the form normalises them before the model's length
checks run, so a pasted identifier is accepted rather than refused for its hyphens.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from wagtail.admin.forms import WagtailAdminPageForm

from library import identifiers
from library.subject_widgets import UNKNOWN_TERM

# Room for an identifier as printed, before normalisation shortens it.
PASTED_IDENTIFIER_LENGTH = 300


class CatalogueRecordForm(WagtailAdminPageForm):
    """The page form for every record type: identifiers are normalised with clear errors."""

    normalisers = {
        "isbn": identifiers.normalise_isbn,
        "issn": identifiers.normalise_issn,
        "doi": identifiers.normalise_doi,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.normalisers:
            field = self.fields.get(name)
            if field is not None:
                field.max_length = PASTED_IDENTIFIER_LENGTH
                field.widget.attrs["maxlength"] = str(PASTED_IDENTIFIER_LENGTH)
                field.validators = [
                    validator
                    for validator in field.validators
                    if not isinstance(validator, MaxLengthValidator)
                ]

        for name in ("subjects", "themes"):
            field = self.fields.get(name)
            if field is not None:
                # SubjectsWidget passes a typed term that names no subject on as typed.
                field.error_messages["invalid_pk_value"] = UNKNOWN_TERM

        record_type = self.fields.get("record_type")
        if record_type is not None:
            # Case reviews are their own page type, in the repository, with its facts.
            record_type.choices = [
                choice for choice in record_type.choices if choice[0] != "case-review"
            ]

    def _normalised(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return ""
        try:
            return self.normalisers[name](value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_isbn(self):
        return self._normalised("isbn")

    def clean_issn(self):
        return self._normalised("issn")

    def clean_doi(self):
        return self._normalised("doi")


class CaseReviewForm(CatalogueRecordForm):
    """The page form for case reviews (the record type is fixed by the model)."""
