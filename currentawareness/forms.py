"""The public forms: sign-up (with "Alert me" for a search) and managing a subscription."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from currentawareness.choices import Service
from library.models import Nation, RecordType, Subject
from library.search.params import MAX_QUERY_LENGTH
from shelfmark_core.conf import app_setting
from shelfmark_core.forms import AccessibleErrorsMixin, SpamTrapForm

SEARCH_MAX = 1000
# Paging and sorting say nothing about which records a search finds.
IGNORED_SEARCH_KEYS = ("page", "sort", "offset", "limit")


def clean_search(raw: str) -> str:
    """A search's query string, normalised, without paging and sorting."""
    data = QueryDict(raw or "", mutable=True)
    for key in IGNORED_SEARCH_KEYS:
        data.pop(key, None)
    if "q" in data:
        data["q"] = data["q"].strip()[:MAX_QUERY_LENGTH]
    return data.urlencode()[:SEARCH_MAX]


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.broader.name} › {obj.name}" if obj.broader_id else obj.name


class ChoicesForm(AccessibleErrorsMixin, forms.Form):
    """Which services, and for CASPAR which topics, nations and record types."""

    services = forms.MultipleChoiceField(
        label=_("Emails you want"),
        choices=Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = TopicChoiceField(
        label=_("CASPAR topics"),
        help_text=_("Choosing a broader topic includes every narrower topic below it."),
        queryset=Subject.objects.select_related("broader").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose topics from the list.")},
    )
    nations = forms.MultipleChoiceField(
        label=_("Nations (optional)"),
        help_text=_("Leave all unticked for every nation."),
        choices=Nation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    record_types = forms.MultipleChoiceField(
        label=_("Types of record (optional)"),
        help_text=_("Leave all unticked for every type."),
        choices=RecordType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    # Whether the form carries a saved search, so CASPAR needs no topic.
    has_search = False

    def clean(self):
        data = super().clean()
        services = data.get("services") or []
        if not services and not self.has_search:
            self.add_error("services", _("Choose at least one email to receive."))
        if Service.CASPAR in services and not data.get("topics") and not self.has_search:
            self.add_error(
                "topics", _("Choose at least one CASPAR topic, or untick CASPAR topic alerts.")
            )
        return data

    def choices(self) -> dict:
        """The choices as carried in a signed confirmation link."""
        data = self.cleaned_data
        return {
            "services": list(data["services"]),
            "topics": [topic.pk for topic in data["topics"]],
            "nations": list(data["nations"]),
            "record_types": list(data["record_types"]),
        }


class SignUpForm(SpamTrapForm, ChoicesForm):
    """Sign up by email; with `search`, the alert for that saved search."""

    timestamp_salt = "currentawareness.sign-up-started"

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send a link to this address; nothing is sent until you follow it."),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.org."),
            "max_length": _("Your email address must be %(limit_value)d characters or fewer."),
        },
    )
    search = forms.CharField(widget=forms.HiddenInput, required=False, max_length=SEARCH_MAX)

    field_order = ["email", "services", "topics", "nations", "record_types"]

    def __init__(self, *args, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.search = clean_search(self.data.get("search", "") if self.is_bound else search)
        self.initial["search"] = self.search
        self.has_search = bool(self.search)

    def minimum_fill_seconds(self) -> float:
        return app_setting("CURRENTAWARENESS_MINIMUM_FILL_SECONDS")

    def choices(self) -> dict:
        choices = super().choices() if self.cleaned_data.get("services") else {}
        if self.search:
            choices["search"] = self.search
        return choices


class ManageForm(ChoicesForm):
    """Change what a confirmed subscriber receives; saved searches can be dropped."""

    keep_searches = forms.MultipleChoiceField(
        label=_("Saved searches"),
        help_text=_("Untick a search to stop its alerts."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, subscriber, **kwargs):
        searches = list(subscriber.saved_searches.all())
        initial = {
            "services": subscriber.services,
            "topics": list(subscriber.topics.all()),
            "nations": subscriber.nations,
            "record_types": subscriber.record_types,
            "keep_searches": [str(search.pk) for search in searches],
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.subscriber = subscriber
        self.fields["keep_searches"].choices = [
            (str(search.pk), search.describe()) for search in searches
        ]
        if not searches:
            del self.fields["keep_searches"]
        self.has_search = bool(searches)

    def save(self) -> None:
        choices = self.choices()
        self.subscriber.apply_choices(choices)
        if "keep_searches" in self.fields:
            keep = [int(pk) for pk in self.cleaned_data["keep_searches"]]
            self.subscriber.saved_searches.exclude(pk__in=keep).delete()
