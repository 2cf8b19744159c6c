"""Import catalogue records from a MARC 21, MARCXML, RIS, BibTeX or CSV file."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from library.imports.readers import FORMATS, read_records
from library.imports.records import UnreadableFile
from library.imports.writer import IndexAndPrepare, NoParent, import_parent, import_records


class Command(BaseCommand):
    help = (
        "Import records from PATH (the format guessed from the file unless --format names it). "
        "Re-importing updates records, never duplicates them. Ends with “imported N, updated U, "
        "rejected R”; exits 0 when nothing was rejected, 2 when some records were, 1 when the "
        "file could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import")
        parser.add_argument("--format", choices=FORMATS, help="the file's format")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen, write nothing"
        )
        parser.add_argument(
            "--parent", help="slug of the library catalogue page to add new records under"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes to index records and prepare their API details in, beside the import "
            "(CPU-bound: up to one per core)",
        )

    def handle(self, *args, path, format, dry_run, parent, workers, **options):
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            raise CommandError(
                f"{path} could not be read: {error.strerror}.", returncode=1
            ) from error
        try:
            parent_page = import_parent(parent)
            format_name, entries = read_records(data, format)
        except (UnreadableFile, NoParent) as error:
            raise CommandError(f"{path} was not imported: {error}.", returncode=1) from error
        terminal = hasattr(self.stderr, "isatty") and self.stderr.isatty()
        with (
            IndexAndPrepare(workers if not dry_run else 1) as pipeline,
            tqdm(unit="records", file=self.stderr, disable=not terminal) as bar,
        ):
            try:
                report = import_records(
                    entries,
                    parent_page,
                    dry_run=dry_run,
                    on_rejection=lambda rejection: self.stderr.write(f"rejected {rejection}"),
                    progress=bar.update,
                    on_written=pipeline.add,
                )
                bar.close()
                if report.written_ids:
                    with tqdm(
                        total=len(set(report.written_ids)),
                        unit="records",
                        desc="indexing",
                        file=self.stderr,
                        disable=not terminal,
                    ) as indexing:
                        pipeline.finish(progress=indexing.update)
            except UnreadableFile as error:
                raise CommandError(f"{path} was not imported: {error}.", returncode=1) from error
            except KeyboardInterrupt:
                self.stderr.write(
                    "Interrupted. Records of the batches already written are kept whole; run "
                    "the same import again to finish it (it updates them, never duplicates "
                    "them, and indexes them)."
                )
                sys.exit(130)
        for note in report.notes:
            self.stdout.write(note)
        if dry_run:
            self.stdout.write(f"Dry run of {format_name}: nothing was written.")
        self.stdout.write(report.summary())
        if report.rejected:
            sys.exit(2)
