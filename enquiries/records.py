"""Catalogue records for replies: only what an anonymous enquirer may see can be sent."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from library.models import CatalogueRecord


def public_records_in_order(pages) -> tuple[list[CatalogueRecord], list[str]]:
    """The chosen pages as public catalogue records, in the order chosen (repeats dropped),
    and a message for each one an enquirer could not open.

    A restricted or unpublished record is refused by its position, never by its title, so the
    message reveals nothing the enquirer's email would not.
    """
    chosen = [page for page in pages if page is not None]
    public = CatalogueRecord.objects.visible_to(AnonymousUser()).in_bulk(
        [page.pk for page in chosen]
    )
    records, problems = [], []
    for number, page in enumerate(chosen, start=1):
        record = public.get(page.pk)
        if record is None:
            problems.append(
                _(
                    "Record %(number)d is not a published, unrestricted catalogue record, so "
                    "the enquirer could not open it. Remove it or choose another."
                )
                % {"number": number}
            )
        elif record not in records:
            records.append(record)
    return records, problems
