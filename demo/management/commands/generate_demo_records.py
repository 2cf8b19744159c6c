"""Write N plausible synthetic catalogue records quickly (bulk inserts), for demos and bench."""

import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from demo.synthetic_records import generate_records


class Command(BaseCommand):
    help = (
        "Create COUNT synthetic live records under the library home (case reviews under the "
        "repository), the same records for the same --seed, then rebuild the search index and "
        "prepare the records' API details."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="how many records")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed: the same seed gives the same records"
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="records per transaction")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="skip rebuilding the search index and preparing API details afterwards (run "
            "rebuild_catalogue_index and prepare_record_details yourself later)",
        )

    def handle(self, *args, count, seed, batch_size, no_index, **options):
        if count < 1 or batch_size < 1:
            raise CommandError("Give a --count and --batch-size of at least 1.")
        started = time.perf_counter()
        try:
            report = generate_records(
                count,
                seed,
                batch_size=batch_size,
                progress=lambda done: self.stdout.write(f"{done} of {count} records written"),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.records} records ({report.case_reviews} case reviews) "
                f"in {seconds:.1f} s."
            )
        )
        if no_index:
            self.stdout.write("The search index was not rebuilt (--no-index).")
        elif "rebuild_catalogue_index" in get_commands():
            call_command("rebuild_catalogue_index", stdout=self.stdout, stderr=self.stderr)
            call_command("prepare_record_details", stdout=self.stdout, stderr=self.stderr)
        else:
            self.stdout.write(
                "The search index was not rebuilt: rebuild_catalogue_index is not installed."
            )
