"""Rebuild the catalogue search index from every live record, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from library.models.records import CatalogueRecord
from library.search.engines.base import SearchUnavailable
from library.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the catalogue search index. Searches keep using the old index until done."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, **options):

        total = CatalogueRecord.objects.live().count()
        with tqdm(
            total=total, unit="records", file=self.stderr, disable=options["no_progress"]
        ) as bar:
            try:
                written = rebuild_index(progress=bar.update)
            except SearchUnavailable as error:
                raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} records."))
