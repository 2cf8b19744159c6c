"""The enquiries app's models: the form page, enquiries and their records, the outbox."""

from enquiries.choices import (
    OPEN_STATUSES,
    EnquirerNation,
    MessageKind,
    Profession,
    Source,
    Status,
)
from enquiries.models.enquiries import (
    Enquiry,
    EnquiryCounter,
    EnquiryNote,
    EnquiryReply,
    EnquiryStatusChange,
    format_reference,
    months_before,
)
from enquiries.models.outbox import DeliveryFailed, OutgoingMessage
from enquiries.models.pages import EnquiryFormPage, EnquiryTopic
from enquiries.models.snippets import CannedResponse

__all__ = [
    "OPEN_STATUSES",
    "CannedResponse",
    "DeliveryFailed",
    "Enquiry",
    "EnquirerNation",
    "EnquiryCounter",
    "EnquiryFormPage",
    "EnquiryNote",
    "EnquiryReply",
    "EnquiryStatusChange",
    "EnquiryTopic",
    "MessageKind",
    "OutgoingMessage",
    "Profession",
    "Source",
    "Status",
    "format_reference",
    "months_before",
]
