"""The public enquiry form page: editors write its introduction, topics and thank-you text."""

from django.core import signing
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site

from enquiries.choices import Source
from enquiries.forms import EnquiryForm, form_max_age
from enquiries.models.enquiries import Enquiry
from shelfmark_core.conf import app_setting
from shelfmark_core.ratelimit import client_ip, hit

REFERENCE_SALT = "enquiries.thank-you"
# The signed reference in the thank-you address is only shown for a day.
REFERENCE_MAX_AGE = 60 * 60 * 24


class EnquiryTopic(Orderable):
    """A topic offered in the form's topic list."""

    page = ParentalKey("enquiries.EnquiryFormPage", on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("topic"), max_length=120)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("topic")


class EnquiryFormPage(RoutablePageMixin, Page):
    """ "Submit an enquiry": the form, its not-a-helpline notice and the thank-you page."""

    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Shown with the enquiry reference after a successful submission."),
    )
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice"),
        help_text=_("Linked from the consent question."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        InlinePanel("topics", label=_("Topics offered"), heading=_("Topics offered")),
        FieldPanel("privacy_notice"),
        FieldPanel("thank_you_text"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("enquiry form page")

    def topic_names(self) -> list[str]:
        return [topic.name for topic in self.topics.all()]

    def make_form(self, data=None):
        return EnquiryForm(data, topics=self.topic_names())

    @path("")
    def enquiry_form(self, request):
        """Show the form; on POST, check limits and traps, store, and go to the thank-you page."""
        if request.method != "POST":
            return self.render(request, context_overrides={"form": self.make_form()})
        limit, window = app_setting("ENQUIRIES_FORM_RATE_LIMIT")
        allowed = hit(f"enquiry-form:{client_ip(request)}", limit, window)
        form = self.make_form(request.POST)
        if not allowed.allowed:
            return self.render_rejection(request, form, "rate-limited", allowed.retry_after)
        if not form.is_valid():
            return self.render(request, context_overrides={"form": form})
        spam_reason = form.spam_reason()
        if spam_reason:
            return self.render_rejection(request, form, spam_reason)
        enquiry = Enquiry.submit(
            site=Site.find_for_request(request), source=Source.WEB, **form.enquiry_fields()
        )
        token = signing.dumps(enquiry.reference, salt=REFERENCE_SALT)
        return redirect(self.url + self.reverse_subpage("thank_you") + f"?ref={token}")

    def render_rejection(self, request, form, reason: str, retry_after: int = 0):
        response = self.render(
            request,
            context_overrides={
                "form": form,
                "rejection": reason,
                "retry_minutes": max(1, -(-retry_after // 60)),
                "max_age_hours": max(1, form_max_age() // 3600),
            },
        )
        if reason == "rate-limited":
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response

    @path("thank-you/", name="thank_you")
    def thank_you(self, request):
        """The thank-you page, with the reference carried in a signed, short-lived token."""
        try:
            reference = signing.loads(
                request.GET.get("ref", ""), salt=REFERENCE_SALT, max_age=REFERENCE_MAX_AGE
            )
        except signing.BadSignature:
            reference = None
        return self.render(
            request,
            template="enquiries/enquiry_form_page_landing.html",
            context_overrides={"reference": reference},
        )
