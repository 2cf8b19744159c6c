"""Catalogue records for replies: only what an anonymous enquirer may see can be sent."""

from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from wagtail.models import Site

from library.models import CatalogueRecord


def find_public_records(text: str) -> tuple[list[CatalogueRecord], list[str]]:
    """Records named one per line by page ID or site address, and a message per bad line.

    A restricted or unpublished record counts as not found: its existence is not revealed.
    """
    public = CatalogueRecord.objects.visible_to(AnonymousUser())
    site_roots = [site.root_page.url_path for site in Site.objects.select_related("root_page")]
    records, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if not entry:
            continue
        if entry.isdigit():
            record = public.filter(pk=int(entry)).first()
        else:
            path = urlsplit(entry).path.strip("/")
            candidates = [f"{root}{path}/" if path else root for root in site_roots]
            record = public.filter(url_path__in=candidates).first()
        if record is None:
            problems.append(
                _(
                    "Line %(number)d: no published, unrestricted catalogue record matches "
                    "“%(entry)s”. Check the ID or address, or remove the line."
                )
                % {"number": number, "entry": entry[:200]}
            )
        elif record not in records:
            records.append(record)
    return records, problems
