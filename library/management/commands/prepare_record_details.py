"""Prepare the partner API's record details ahead of requests, with a progress bar."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from library.models import CatalogueRecord
from library.record_details import outdated_record_ids, prepare_record_details_in_parallel


class Command(BaseCommand):
    help = (
        "Prepare the API detail of every live record that has none or an outdated one (run "
        "after a bulk import or an upgrade, and daily for documents whose online time ends)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="prepare every live record again")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes to prepare in (the work is CPU-bound: up to one per core)",
        )

    def handle(self, *args, **options):

        if options["all"]:
            ids = list(CatalogueRecord.objects.live().order_by("pk").values_list("pk", flat=True))
        else:
            ids = outdated_record_ids()
        with tqdm(
            total=len(ids), unit="records", file=self.stderr, disable=options["no_progress"]
        ) as bar:
            prepare_record_details_in_parallel(ids, options["workers"], progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Prepared {len(ids)} record details."))
