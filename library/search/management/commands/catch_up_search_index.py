"""Index the records held back while the search engine could not be reached."""

from django.core.management.base import BaseCommand, CommandError

from library.search.engines.base import SearchUnavailable
from library.search.indexing import catch_up_index


class Command(BaseCommand):
    help = "Index the records whose updates were held back while search was unreachable."

    def handle(self, *args, **options):
        try:
            caught_up = catch_up_index()
        except SearchUnavailable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Indexed {caught_up} held-back records."))
