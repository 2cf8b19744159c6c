"""Move the visibility version on whenever a record's visibility may have changed, and queue
index updates when records are saved (published, unpublished, edited), deleted or
moved, when their view restrictions change, and when the subjects, boards or agencies they
show change. Updates are idempotent, so a record queued twice costs only time. The same
update refreshes the records' prepared API details (library.record_details)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from library.models.oai import WithdrawnRecord
from library.models.records import (
    CaseReview,
    CatalogueRecord,
    Recommendation,
    RecordContributor,
    RecordDocument,
    RecordKeyword,
)
from library.models.snippets import Agency, Board, Subject
from library.search.models import SearchIndexState
from library.tasks import update_search_index
from library.visibility import VisibilityState, audience_for


@receiver(post_save)
@receiver(post_delete)
def record_saved_or_deleted(sender, instance, **kwargs):
    # Publishing, unpublishing, editing or deleting a record may show or hide it: hidden ids
    # are read again from the page tree (library.visibility), in the same transaction.
    if isinstance(instance, CatalogueRecord):
        VisibilityState.bump()


@receiver(post_page_move)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def tree_or_restriction_changed(sender, **kwargs):
    VisibilityState.bump()


def queue_update(record_ids) -> None:
    """Enqueue one index update for these ids (inside the caller's transaction)."""
    ids = sorted({int(pk) for pk in record_ids})
    if ids:
        update_search_index.enqueue(ids)


def records_under(page: Page) -> list[int]:
    """Ids of catalogue records at or below `page`."""
    return list(
        CatalogueRecord.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
    )


@receiver(post_save, sender=CatalogueRecord)
@receiver(post_save, sender=CaseReview)
def record_saved(sender, instance, **kwargs):
    # Publishing, unpublishing and every other save of the page row come through here; the
    # task reads the live state from the database, so a draft never leaks into the index.
    queue_update([instance.pk])


@receiver(post_save, sender=RecordContributor)
@receiver(post_delete, sender=RecordContributor)
@receiver(post_save, sender=RecordKeyword)
@receiver(post_delete, sender=RecordKeyword)
def record_detail_changed(sender, instance, **kwargs):
    queue_update(
        [instance.record_id if hasattr(instance, "record_id") else instance.content_object_id]
    )


@receiver(m2m_changed, sender=CatalogueRecord.subjects.through)
@receiver(m2m_changed, sender=CaseReview.themes.through)
def record_subjects_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # modelcluster writes a page's subjects after the page row itself, so the post_save
    # above sees the old subjects; this brings them in.
    if not action.startswith("post_"):
        return
    if reverse:
        queue_update(pk_set or [])
    else:
        queue_update([instance.pk])


@receiver(post_save, sender=Recommendation)
@receiver(post_delete, sender=Recommendation)
def recommendation_changed(sender, instance, **kwargs):
    queue_update([instance.review_id])


@receiver(post_delete)
def record_deleted(sender, instance, **kwargs):
    if isinstance(instance, CatalogueRecord):
        queue_update([instance.pk])


@receiver(post_page_move)
def section_moved(sender, instance, parent_page_before=None, **kwargs):
    # The datestamp first: the queued update prepares the record's detail, which carries it.
    if parent_page_before is not None and not audience_for(None).may_see(parent_page_before.path):
        newly_public_to_harvesters(instance)
    queue_update(records_under(instance))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    if kwargs.get("signal") is post_delete:
        newly_public_to_harvesters(page)
    queue_update(records_under(page))


@receiver(post_save, sender=Subject)
def subject_saved(sender, instance, **kwargs):
    # The thesaurus is read once per index version: a term with no records yet still moves
    # the version on, so every process expands it from the next search.
    SearchIndexState.bump()
    ids = CatalogueRecord.objects.filter(subjects=instance).values_list("pk", flat=True)
    queue_update([*ids, *instance.case_reviews.values_list("pk", flat=True)])


@receiver(post_save, sender=Board)
def board_saved(sender, instance, **kwargs):
    queue_update(instance.case_reviews.values_list("pk", flat=True))


@receiver(post_save, sender=Agency)
def agency_saved(sender, instance, **kwargs):
    # Not searched, but case review details name their agencies and recommendations' agencies.
    reviews = Recommendation.objects.filter(agency=instance).values_list("review_id", flat=True)
    queue_update([*instance.case_reviews.values_list("pk", flat=True), *reviews])


@receiver(post_save, sender=get_document_model())
def document_saved(sender, instance, **kwargs):
    # Record details list their documents' titles, addresses and sizes: a renamed or
    # replaced file must show there, and in the details' validators, at once.
    queue_update(
        RecordDocument.objects.filter(document=instance).values_list("record_id", flat=True)
    )


@receiver(post_delete, sender=RecordDocument)
def attached_document_removed(sender, instance, **kwargs):
    # Deleting a Wagtail document cascades to its attachments, so this sees it too.
    queue_update([instance.record_id])


# OAI-PMH datestamps and deleted records (library/oai) -------------------------------------------


@receiver(post_save, sender=CatalogueRecord)
@receiver(post_save, sender=CaseReview)
def live_record_has_a_datestamp(sender, instance, **kwargs):
    # OAI-PMH pages through live records by their last publication: a record made live
    # without a revision (a factory, a fast import) gets its time now.
    if instance.live and instance.last_published_at is None:
        instance.last_published_at = timezone.now()
        Page.objects.filter(pk=instance.pk).update(last_published_at=instance.last_published_at)


def newly_public_to_harvesters(page: Page) -> None:
    """Give the live records at or below `page` that the public may now see (a restriction
    lifted, or a move out of a restricted section) a new datestamp: an incremental harvest,
    asking only for what changed since its last visit, would otherwise never fetch them."""
    shown = CatalogueRecord.objects.filter(path__startswith=page.path, live=True).exclude(
        audience_for(None).hidden_q()
    )
    Page.objects.filter(pk__in=shown.values("pk")).update(last_published_at=timezone.now())


def withdraw(record: CatalogueRecord) -> None:
    """Keep a deleted-record row for a record leaving the catalogue, unless the public could not
    see it: a restricted record never appears to harvesters, not even as deleted."""
    if not audience_for(None).may_see(record.path):
        return
    WithdrawnRecord.objects.update_or_create(
        record_id=record.pk,
        defaults={
            "withdrawn_at": timezone.now(),
            "record_type": record.record_type,
            "nation": record.nation if record.record_type == "case-review" else "",
            "subject_slugs": " " + " ".join(record.subjects.values_list("slug", flat=True)) + " "
            if record.subjects.exists()
            else "",
        },
    )


@receiver(page_unpublished)
def record_unpublished(sender, instance, **kwargs):
    if isinstance(instance, CatalogueRecord):
        withdraw(instance)


@receiver(pre_delete, sender=CatalogueRecord)
@receiver(pre_delete, sender=CaseReview)
def record_about_to_be_deleted(sender, instance, **kwargs):
    # Before the deletion, while the record's own view restrictions still exist; a section
    # deleted with its records cascades here too.
    if instance.live:
        withdraw(instance)


@receiver(page_published)
def record_published_again(sender, instance, **kwargs):
    if isinstance(instance, CatalogueRecord):
        WithdrawnRecord.objects.filter(record_id=instance.pk).delete()
