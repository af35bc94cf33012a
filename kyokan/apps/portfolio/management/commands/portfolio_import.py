"""``kyokan portfolio-import FILE.xlsx|FILE.csv [--dry-run]``: the portfolio import of the
browser, from the command line: prints created/updated/rejected, exits non-zero and imports
nothing on any error."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kyokan.apps.portfolio import services


class Command(BaseCommand):
    help = "Import initiatives (and progress, KPI actuals) from the portfolio table."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        start = time.perf_counter()
        try:
            plan = services.portfolio_import(
                actor=None, data=data, filename=path.name, dry_run=options["dry_run"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for error in plan.errors:
            self.stderr.write(str(error))
        counts = plan.counts
        summary = (
            f"created: {counts['created']}, updated: {counts['updated']}, "
            f"unchanged: {counts['unchanged']}, rejected: {counts['rejected']}, "
            f"kpi actuals: {counts['kpi_actuals']} ({time.perf_counter() - start:.2f} s)"
        )
        if not plan.ok:
            raise CommandError(f"{summary}. {len(plan.errors)} errors: nothing was imported.")
        if options["dry_run"]:
            self.stdout.write(f"dry run: {summary}; nothing was imported.")
        else:
            self.stdout.write(self.style.SUCCESS(summary))
