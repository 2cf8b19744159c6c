"""Current awareness: subscribers, issue pages and the email they are sent."""

from currentawareness.models.issues import DigestArchivePage, DigestIssuePage, FeaturedItem
from currentawareness.models.outbox import ConfirmationEmail, DigestContent, DigestDelivery
from currentawareness.models.subscribers import SavedSearch, Subscriber, SubscriptionEvent

__all__ = [
    "ConfirmationEmail",
    "DigestArchivePage",
    "DigestContent",
    "DigestDelivery",
    "DigestIssuePage",
    "FeaturedItem",
    "SavedSearch",
    "Subscriber",
    "SubscriptionEvent",
]
