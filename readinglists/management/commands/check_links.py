"""Check every external link in reading lists and catalogue records."""

from django.core.management.base import BaseCommand, CommandError

from readinglists.linkcheck import DEFAULT_TIMEOUT, DEFAULT_WORKERS, run_link_checks
from readinglists.models import LinkCheck


class Command(BaseCommand):
    help = (
        "Check the external links of reading lists and catalogue records. A link is reported "
        f"as broken after failing {LinkCheck.BROKEN_AFTER_FAILURES} checks in a row."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT, help="Seconds to wait per request."
        )
        parser.add_argument(
            "--workers", type=int, default=DEFAULT_WORKERS, help="Links checked at the same time."
        )

    def handle(self, *args, timeout, workers, **options):
        if timeout <= 0 or workers < 1:
            raise CommandError("Give a timeout above 0 seconds and at least 1 worker.")
        summary = run_link_checks(timeout=timeout, workers=workers)
        for check in summary.broken:
            where = "; ".join(sorted(summary.sources.get(check.url, ())))
            self.stdout.write(
                self.style.WARNING(
                    f"Broken ({check.problem()}, {check.consecutive_failures} failures in a row): "
                    f"{check.url} in {where}"
                )
            )
        self.stdout.write(
            f"Checked {summary.checked} links: {len(summary.broken)} broken, "
            f"{len(summary.failing)} failing but not yet reported."
        )
