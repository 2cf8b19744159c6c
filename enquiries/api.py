"""POST /api/v3/enquiries/: partner portals submit enquiries with a bearer token.

The JSON is validated by the same form as the website's, so both give the same messages.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import ProblemDetail, problem_response

from enquiries.forms import EnquiryDetailsForm
from enquiries.models import Enquiry, Source
from home.ratelimit import hit

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
    response={201: EnquiryCreated, 403: ProblemDetail, 422: ProblemDetail, 429: ProblemDetail},
    auth=BearerTokenAuth(),
    url_name="enquiry_create",
    operation_id="enquiry_create",
    summary="Submit an enquiry to the Information Service",
)
def create_enquiry(request, payload: EnquiryIn):
    """Store the enquiry (201 with its reference), or say per field what to fix (422)."""
    if not request.user.has_perm("enquiries.add_enquiry"):
        raise PermissionDenied("This token's user may not submit enquiries.")
    limit, window = settings.ENQUIRIES_API_RATE_LIMIT
    allowed = hit(f"enquiry-api:{request.auth.pk}", limit, window)
    if not allowed.allowed:
        response = problem_response(
            status=429,
            detail=f"Too many enquiries from this token; try again in {allowed.retry_after} s.",
        )
        response["Retry-After"] = str(allowed.retry_after)
        return response
    form = EnquiryDetailsForm(data=payload.dict(exclude_none=True))
    if not form.is_valid():
        return problem_response(
            status=422,
            detail="Validation failed",
            errors=[
                {"type": error.code or "invalid", "loc": ["body", field], "msg": message}
                for field, errors in form.errors.as_data().items()
                for error in errors
                for message in error.messages
            ],
        )
    enquiry = Enquiry.submit(source=Source.API, submitted_by=request.user, **form.enquiry_fields())
    return Status(201, {"reference": enquiry.reference, "status": enquiry.status})
