"""POST /api/v3/enquiries/: partner portals submit enquiries with a bearer token.

The JSON is validated by the same form as the website's, so both give the same messages. Only
a token issued with `--can-submit-enquiries` may submit (the right is kept per token).
"""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from enquiries.forms import EnquiryDetailsForm
from enquiries.models import Enquiry, Source
from library.api.plumbing import (
    ERROR_DESCRIPTIONS,
    PROBLEM_SCHEMA,
    APIProblem,
    EnquiryThrottle,
    PartnerToken,
)
from library.partners import may_submit_enquiries

router = Router(tags=["enquiries"])


class EnquiryIn(Schema):
    name: str | None = Field(None, description="The enquirer's name (up to 200 characters).")
    email: str | None = Field(None, description="Where the reference and the answer go.")
    organisation: str | None = None
    profession: str | None = Field(
        None,
        description="social-care, health, police, education, safeguarding-partnership, "
        "research, student, parent-carer or other.",
    )
    nation: str | None = Field(
        None, description="england, northern-ireland, scotland, wales or outside-uk."
    )
    topic: str | None = Field(None, description="Optional free text (up to 120 characters).")
    question: str | None = Field(None, description="10 to 5000 characters.")
    needed_by: str | None = Field(None, description="Optional date, YYYY-MM-DD, not in the past.")
    consent: bool | None = Field(None, description="Must be true: consent to processing.")


class EnquiryCreated(Schema):
    reference: str = Field(..., examples=["ENQ-2026-00042"])
    status: str = Field(..., examples=["received"])


@router.post(
    "/",
    response={201: EnquiryCreated},
    auth=PartnerToken(),
    throttle=EnquiryThrottle(),
    url_name="enquiry_create",
    operation_id="enquiry_create",
    summary="Submit an enquiry to the Information Service",
    openapi_extra={
        "responses": {
            status: {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
            }
            for status in (400, 401, 403, 422, 429)
        }
    },
)
def create_enquiry(request, payload: EnquiryIn):
    """Store the enquiry (201 with its reference), or say per field what to fix (422)."""
    if not may_submit_enquiries(request.auth):
        raise APIProblem(
            403,
            _(
                "This token may not submit enquiries. Ask the library for a token issued "
                "for enquiry submission."
            ),
        )
    form = EnquiryDetailsForm(data=payload.dict(exclude_none=True))
    if not form.is_valid():
        raise APIProblem(
            422,
            _("Validation failed"),
            errors=[
                {"type": error.code or "invalid", "loc": ["body", field], "msg": message}
                for field, errors in form.errors.as_data().items()
                for error in errors
                for message in error.messages
            ],
        )
    enquiry = Enquiry.submit(source=Source.API, submitted_by=request.user, **form.enquiry_fields())
    return Status(201, {"reference": enquiry.reference, "status": enquiry.status})
