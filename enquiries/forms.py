"""Forms: the public enquiry form (shared with the API's validation) and the staff forms."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.choices import STAFF_LOGGED_SOURCES, EnquirerNation, Profession, Status
from shelfmark_core.conf import app_setting
from shelfmark_core.forms import AccessibleErrorsMixin, SpamTrapForm

NAME_MAX = 200
ORGANISATION_MAX = 200
TOPIC_MAX = 120
QUESTION_MIN = 10
QUESTION_MAX = 5000
TIMESTAMP_SALT = "enquiries.form-started"


def form_max_age() -> int:
    """How many seconds after it was shown the form may still be sent."""
    return app_setting("ENQUIRIES_FORM_MAX_AGE_SECONDS")


class EnquiryDetailsForm(AccessibleErrorsMixin, forms.Form):
    """What an enquirer tells us; the API validates its JSON with this same form."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Enter your name."),
            "max_length": _("Your name must be %(limit_value)d characters or fewer."),
        },
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send your reference and our answer to this address."),
        max_length=254,
        error_messages={
            "required": _("Enter your email address so that we can reply to you."),
            "invalid": _("Enter an email address in the correct format, like name@example.org."),
            "max_length": _("Your email address must be %(limit_value)d characters or fewer."),
        },
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=ORGANISATION_MAX,
        required=False,
        error_messages={
            "max_length": _("The organisation must be %(limit_value)d characters or fewer."),
        },
    )
    profession = forms.ChoiceField(
        label=_("Profession or role"),
        choices=[("", _("Choose your profession or role")), *Profession.choices],
        error_messages={
            "required": _("Choose your profession or role."),
            "invalid_choice": _(
                "Choose one of the professions listed: social-care, health, police, "
                "education, safeguarding-partnership, research, student, parent-carer or other."
            ),
        },
    )
    nation = forms.ChoiceField(
        label=_("Nation or region"),
        help_text=_("Where you work, or live if you are asking for yourself."),
        choices=[("", _("Choose a nation or region")), *EnquirerNation.choices],
        error_messages={
            "required": _("Choose the nation or region you work or live in."),
            "invalid_choice": _(
                "Choose one of the nations listed: england, northern-ireland, scotland, "
                "wales or outside-uk."
            ),
        },
    )
    topic = forms.CharField(
        label=_("Topic (optional)"),
        max_length=TOPIC_MAX,
        required=False,
        error_messages={"max_length": _("The topic must be %(limit_value)d characters or fewer.")},
    )
    question = forms.CharField(
        label=_("Your question"),
        help_text=_(
            "Tell us what you need and what it is for. Please do not include names or other "
            "details that could identify a child or family."
        ),
        min_length=QUESTION_MIN,
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        error_messages={
            "required": _("Enter your question."),
            "min_length": _(
                "Tell us a little more about your question: at least %(limit_value)d characters."
            ),
            "max_length": _(
                "Your question must be %(limit_value)d characters or fewer (it has "
                "%(show_value)d); shorten it or send the rest in a second enquiry."
            ),
        },
    )
    needed_by = forms.DateField(
        label=_("Date you need an answer by (optional)"),
        help_text=_("For example 31/03/2026."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Enter a real date, for example 31/03/2026 (or 2026-03-31)."),
        },
    )
    consent = forms.BooleanField(
        label=_("I agree that the Information Service may use these details to answer my enquiry"),
        error_messages={
            "required": _(
                "Tick the box to agree that we may use your details to answer your enquiry; "
                "we cannot answer without it."
            )
        },
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_needed_by(self):
        needed_by = self.cleaned_data.get("needed_by")
        if needed_by and needed_by < timezone.localdate():
            raise forms.ValidationError(
                _("The date you need an answer by must be today or in the future."),
                code="past",
            )
        return needed_by

    def enquiry_fields(self) -> dict:
        """The cleaned data as Enquiry fields."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "organisation": data["organisation"],
            "profession": data["profession"],
            "nation": data["nation"],
            "topic": data["topic"],
            "question": data["question"],
            "needed_by": data["needed_by"],
        }


class SpamRejected(Exception):
    """A submission that looks automated; it is not stored."""


class EnquiryForm(SpamTrapForm, EnquiryDetailsForm):
    """The public form: the page's topics, plus a honeypot field and a time trap."""

    timestamp_salt = TIMESTAMP_SALT

    def __init__(self, *args, topics: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if topics:
            self.fields["topic"] = forms.ChoiceField(
                label=_("Topic (optional)"),
                required=False,
                choices=[("", _("Not listed or not sure")), *((t, t) for t in topics)],
                error_messages={"invalid_choice": _("Choose one of the topics listed.")},
            )

    def minimum_fill_seconds(self) -> float:
        return app_setting("ENQUIRIES_MINIMUM_FILL_SECONDS")

    def max_age(self) -> int:
        return form_max_age()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter a due date."), "invalid": _("Enter a real date.")},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Seen by Information Service staff only; never sent to the enquirer."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the note before saving it.")},
    )


def information_service_staff():
    """Active users who may work on enquiries: the people an enquiry can be assigned to."""
    return (
        get_user_model()
        .objects.with_perm("enquiries.change_enquiry", include_superusers=True)
        .filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AssignForm(forms.Form):
    """Give an enquiry to a colleague (or to oneself) from the Information Service."""

    assignee = ColleagueChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose a colleague"),
        error_messages={
            "required": _("Choose the colleague to assign the enquiry to."),
            "invalid_choice": _(
                "Choose one of the colleagues listed; only Information Service staff can be "
                "assigned enquiries."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = information_service_staff()


def record_chooser_block():
    """An ordered list of catalogue records, each picked with Wagtail's page chooser."""
    from wagtail import blocks
    from wagtail.blocks.list_block import ListValue

    class RecordListBlock(blocks.ListBlock):
        """Posted data it cannot read (tampered or truncated) is marked, never a server
        error; `unreadable` is per form, as each form builds its own block."""

        unreadable = False

        def value_from_datadict(self, data, files, prefix):
            if f"{prefix}-count" not in data:
                return ListValue(self, values=[])
            try:
                return super().value_from_datadict(data, files, prefix)
            except (KeyError, ValueError, TypeError, ValidationError):
                self.unreadable = True
                return ListValue(self, values=[])

    return RecordListBlock(
        blocks.PageChooserBlock(page_type="library.CatalogueRecord", label=_("Record")),
        label=_("Catalogue records to include"),
        collapsed=False,
    )


class ReplyForm(forms.Form):
    """The reply composed in the admin: a canned response can be inserted, and catalogue
    records are picked with the page chooser, in the order they will appear in the email."""

    canned = forms.ModelChoiceField(
        label=_("Canned response"),
        help_text=_("Insert standard wording into the reply, then edit it before sending."),
        queryset=None,
        required=False,
        empty_label=_("Choose a canned response"),
        error_messages={"invalid_choice": _("Choose one of the canned responses listed.")},
    )
    body = forms.CharField(
        label=_("Reply to the enquirer"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("Write the reply before sending it.")},
    )
    records = forms.Field(
        label=_("Catalogue records to include"),
        help_text=_(
            "Listed in the email in this order. Only published, unrestricted records can be sent."
        ),
        required=False,
    )
    then_status = forms.ChoiceField(
        label=_("Status after sending"),
        choices=[
            (Status.ANSWERED, Status.ANSWERED.label),
            (Status.AWAITING_ENQUIRER, Status.AWAITING_ENQUIRER.label),
            (Status.CLOSED, Status.CLOSED.label),
        ],
    )

    def __init__(self, *args, canned_responses=None, **kwargs):
        """`canned_responses`: the CannedResponse queryset to choose from (the view's)."""
        from wagtail.blocks import BlockField

        super().__init__(*args, **kwargs)
        self.fields["canned"].queryset = canned_responses
        self.fields["records"] = BlockField(
            block=record_chooser_block(),
            label=self.fields["records"].label,
            help_text=self.fields["records"].help_text,
            required=False,
        )

    def inserted_body(self) -> str:
        """The reply so far with the chosen canned response added at the end."""
        body = (self.data.get("body") or "").rstrip()
        canned = self.cleaned_data.get("canned") if hasattr(self, "cleaned_data") else None
        if canned is None:
            return body
        return f"{body}\n\n{canned.body}" if body else canned.body

    def clean_records(self):
        from enquiries.records import public_records_in_order

        if self.fields["records"].block.unreadable:
            raise forms.ValidationError(
                _("The chosen records could not be read. Choose them again."), code="unreadable"
            )
        records, problems = public_records_in_order(self.cleaned_data["records"] or [])
        if problems:
            raise forms.ValidationError(problems)
        return records


class StaffEnquiryForm(EnquiryDetailsForm):
    """An enquiry that arrived by telephone or email, logged by Information Service staff."""

    source = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            ("", _("Choose how it arrived")),
            *((s.value, s.label) for s in STAFF_LOGGED_SOURCES),
        ],
        error_messages={
            "required": _("Choose whether the enquiry came by telephone or by email."),
            "invalid_choice": _("Choose telephone or email."),
        },
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date the enquiry arrived."),
            "invalid": _("Enter a real date, for example 31/03/2026 (or 2026-03-31)."),
        },
    )
    field_order = ["source", "received_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())
        labels = {
            "name": _("Enquirer's name"),
            "email": _("Enquirer's email address"),
            "question": _("The question"),
            "needed_by": _("Answer needed by (optional)"),
            "consent": _(
                "The enquirer agreed that the Information Service may use these details to "
                "answer the enquiry"
            ),
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["email"].help_text = _(
            "Their reference and our answer are sent here; ask a caller for an address."
        )
        self.fields["question"].help_text = _(
            "As the enquirer put it, without names or details that could identify a child."
        )
        self.fields["nation"].help_text = ""
        self.fields["needed_by"].help_text = ""

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(
                _("The date received cannot be in the future."), code="future"
            )
        return received_on

    def enquiry_fields(self) -> dict:
        """The cleaned data as Enquiry fields, with the source and when it arrived."""
        received_on = self.cleaned_data["received_on"]
        now = timezone.localtime()
        received_at = (
            now
            if received_on == now.date()
            else datetime.datetime.combine(received_on, now.timetz())
        )
        return {
            **super().enquiry_fields(),
            "source": self.cleaned_data["source"],
            "received_at": received_at,
        }


class SubjectAccessForm(forms.Form):
    email = forms.EmailField(
        label=_("Enquirer's email address"),
        error_messages={
            "required": _("Enter the email address the enquirer used."),
            "invalid": _("Enter an email address in the correct format, like name@example.org."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I have checked the requester's identity and want to erase their data now"),
        required=False,
    )


class ReportForm(forms.Form):
    date_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Received up to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
