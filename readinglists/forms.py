"""The reading list editor's form: the compiled month typed as people write it."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

ENGLISH_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Full names and three-letter abbreviations, whatever the server's locale.
MONTH_NUMBERS: dict[str, int] = {
    **{name: number for number, name in enumerate(ENGLISH_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(ENGLISH_MONTHS, start=1)},
}
MONTH_NUMBERS["sept"] = 9

_WORDS = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")  # November 2013, Nov. 2013, Sept 2013
_NUMBERS = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")  # 2013-11, 2013-11-01
_SLASHED = re.compile(r"^(\d{1,2})/(\d{4})$")  # 11/2013
EARLIEST_YEAR = 1900

COMPILED_HELP = _("The month and year, for example November 2013, Nov 2013 or 2013-11.")
COMPILED_INVALID = _(
    "Enter the month and year the list was compiled, for example November 2013, Nov 2013 or "
    "2013-11."
)


def parse_month_year(text: str) -> datetime.date:
    """The first day of the month named in `text` ("November 2013", "Nov 2013", "2013-11",
    "11/2013", or an ISO date); ValueError for anything else, never a guess."""
    value = " ".join(str(text).strip().lower().split())
    month = year = None
    if match := _WORDS.match(value):
        month, year = MONTH_NUMBERS.get(match[1]), int(match[2])
    elif match := _NUMBERS.match(value):
        year, month = int(match[1]), int(match[2])
        if match[3] is not None:
            datetime.date(year, month, int(match[3]))  # a full date must be a real one
    elif match := _SLASHED.match(value):
        month, year = int(match[1]), int(match[2])
    if month is None or year is None or not 1 <= month <= 12:
        raise ValueError(f"not a month and year: {text!r}")
    if not EARLIEST_YEAR <= year <= timezone.localdate().year + 1:
        raise ValueError(f"year out of range: {text!r}")
    return datetime.date(year, month, 1)


class MonthYearField(forms.DateField):
    """A month and year typed in words or numbers, stored as the month's first day."""

    widget = forms.DateInput(format="%B %Y", attrs={"autocomplete": "off"})
    default_error_messages = {"invalid": COMPILED_INVALID}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date().replace(day=1)
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        try:
            return parse_month_year(value)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class ReadingListPageForm(WagtailAdminPageForm):
    """The list editor's form: "compiled" is a month and year in a plain text box (no date
    picker, which replaced text it could not read with today's date)."""

    compiled = MonthYearField(label=_("compiled"), help_text=COMPILED_HELP)
