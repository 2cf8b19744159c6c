"""The library's models: records, section pages and vocabularies."""

from library.models.imports import ImportedRecordSource, ImportedSourceId, ImportRun
from library.models.oai import WithdrawnRecord
from library.models.pages import CaseReviewIndexPage, LibraryIndexPage
from library.models.partners import PartnerTokenGrant
from library.models.prepared import PreparedRecordDetail
from library.models.records import (
    AgeBand,
    Availability,
    CaseReview,
    CatalogueRecord,
    ContributorRole,
    DocumentKind,
    Gender,
    LearningPoint,
    Methodology,
    Recommendation,
    RecordContributor,
    RecordDocument,
    RecordKeyword,
    RecordType,
    ReviewType,
    find_possible_duplicates,
)
from library.models.snippets import Agency, Board, Nation, Subject
from library.models.workflow import SecondLibrarianApprovalTask
from library.visibility import VisibilityState

__all__ = [
    "AgeBand",
    "Agency",
    "Availability",
    "Board",
    "CaseReview",
    "CaseReviewIndexPage",
    "CatalogueRecord",
    "ContributorRole",
    "DocumentKind",
    "Gender",
    "LearningPoint",
    "ImportRun",
    "ImportedRecordSource",
    "ImportedSourceId",
    "LibraryIndexPage",
    "Methodology",
    "Nation",
    "PartnerTokenGrant",
    "PreparedRecordDetail",
    "Recommendation",
    "RecordContributor",
    "RecordDocument",
    "RecordKeyword",
    "RecordType",
    "ReviewType",
    "SecondLibrarianApprovalTask",
    "Subject",
    "VisibilityState",
    "WithdrawnRecord",
    "find_possible_duplicates",
]
