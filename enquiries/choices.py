"""The fixed choices of enquiries, shared by the models, the forms and the emails.

A leaf module: it imports nothing from the app, so forms and emails can use these names
without importing the models (which import them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in-progress", _("In progress")
    AWAITING_ENQUIRER = "awaiting-enquirer", _("Awaiting enquirer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_ENQUIRER]


class Profession(models.TextChoices):
    SOCIAL_CARE = "social-care", _("Social care")
    HEALTH = "health", _("Health")
    POLICE = "police", _("Police")
    EDUCATION = "education", _("Education")
    SAFEGUARDING_PARTNERSHIP = "safeguarding-partnership", _("Safeguarding partnership")
    RESEARCH = "research", _("Research")
    STUDENT = "student", _("Student")
    PARENT_CARER = "parent-carer", _("Parent or carer")
    OTHER = "other", _("Other")


class EnquirerNation(models.TextChoices):
    ENGLAND = "england", _("England")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    OUTSIDE_UK = "outside-uk", _("Outside the UK")


class Source(models.TextChoices):
    WEB = "web", _("Website form")
    API = "api", _("Partner API")
    STAFF = "staff", _("Entered by staff")
    PHONE = "phone", _("Telephone, logged by staff")
    EMAIL = "email", _("Email, logged by staff")


# What staff choose from when they log an enquiry that did not come through the website.
STAFF_LOGGED_SOURCES = [Source.PHONE, Source.EMAIL]


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement to the enquirer")
    NOTIFICATION = "notification", _("Notification to the service mailbox")
    REPLY = "reply", _("Reply to the enquirer")
