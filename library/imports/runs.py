"""Imports started from the admin: preview the stored upload by a dry run, then import it."""

from django.db.models import F
from django.utils import timezone

from library.imports.readers import read_records
from library.imports.records import UnreadableFile
from library.imports.writer import import_records, index_and_prepare
from library.models import ImportRun


def _read(run: ImportRun):
    run.upload.open("rb")
    try:
        data = run.upload.read()
    finally:
        run.upload.close()
    return read_records(data, run.format or None)


def preview_run(run: ImportRun) -> ImportRun:
    """Dry-run the stored upload: the first records, every rejection and the summary."""
    try:
        format_name, entries = _read(run)
        report = import_records(entries, run.parent.specific, dry_run=True)
    except UnreadableFile as error:
        run.status = ImportRun.Status.FAILED
        run.report = f"The file could not be read: {error}."
        run.save()
        return run
    run.format = format_name
    run.expected = report.read
    run.preview = {
        "records": report.preview,
        "rejections": [str(rejection) for rejection in report.rejections],
        "notes": report.notes,
        "summary": report.summary(),
    }
    run.save()
    return run


def execute_run(run_id: int) -> str:
    """Import a previewed upload, keeping its progress and report on the run."""
    run = ImportRun.objects.select_related("parent").get(pk=run_id)
    if run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.FAILED):
        return run.status
    ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.RUNNING, processed=0)

    def progress(count: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(processed=F("processed") + count)

    try:
        _format, entries = _read(run)
        report = import_records(entries, run.parent.specific, progress=progress)
        index_and_prepare(report.written_ids)
    except Exception as error:
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED,
            report=f"The import stopped: {error}. Records written before it are kept; "
            "start it again to finish (records already imported are updated, not duplicated).",
            finished_at=timezone.now(),
        )
        raise
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.FINISHED,
        imported=report.imported,
        updated=report.updated,
        rejected=report.rejected,
        report="\n".join(report.lines()),
        finished_at=timezone.now(),
    )
    return report.summary()
