"""Prepare and queue this period's digests: safe to run again, or after a crash."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from currentawareness.choices import Service
from currentawareness.digests import NoArchivePage, run


def a_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date {value!r} is not a date; write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Write and queue one digest per subscriber for the last whole period of each service "
        "(weekly: the week before this one; monthly: last month). Run it again at any time: "
        "nobody gets a digest twice, and a run stopped half-way is finished."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count; store and send nothing.")
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD.")
        parser.add_argument(
            "--service", choices=Service.values, help="Only this service (default: all)."
        )

    def handle(self, *args, dry_run=False, date=None, service=None, **options):
        on = a_date(date) if date else timezone.localdate()
        try:
            reports = run(on, [service] if service else None, dry_run=dry_run)
        except NoArchivePage as error:
            raise CommandError(str(error)) from error
        for report in reports:
            start, end = report.period
            if dry_run:
                emails = sum(1 for count in report.dry_run_counts if count)
                self.stdout.write(
                    f"{report.issue_title} ({start} to {end}): would send {emails} digests "
                    f"({len(report.dry_run_counts) - emails} subscribers have nothing new; "
                    f"{report.already_done} already done)."
                )
                continue
            self.stdout.write(
                f"{report.issue_title} ({start} to {end}): {report.new_deliveries} new digests, "
                f"{report.nothing_new} with nothing new, {report.already_done} done before; "
                f"{report.queued} queued to send."
            )
        self.stdout.write(self.style.SUCCESS("Done."))
