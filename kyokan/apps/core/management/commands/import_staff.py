"""``kyokan import-staff FILE --effective YYYY-MM-DD [--dry-run]``: the HR import
(kyokan/apps/core/hr.py) from the command line, with the same rules as the browser."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kyokan.apps.core import hr
from kyokan.apps.core.japanese_dates import parse_date_ja


class Command(BaseCommand):
    help = "Import people and departments from the HR system's CSV or Excel file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--effective", required=True, help="the effective date (発令日)")
        parser.add_argument("--dry-run", action="store_true", help="show the changes only")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            effective = parse_date_ja(options["effective"])
            data = path.read_bytes()
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            record, plan = hr.staff_import_preview(
                actor=None, data=data, filename=path.name, effective=effective
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for change in plan.changes:
            self.stdout.write(change.text)
        for error in plan.errors:
            self.stderr.write(f"{error.row}: {error.message}" if error.row else error.message)
        if not plan.ok:
            raise CommandError(f"{len(plan.errors)} errors: nothing was changed.")
        if options["dry_run"]:
            self.stdout.write(f"dry run: {len(plan.changes)} changes, nothing was changed.")
            return
        try:
            hr.staff_import_apply(actor=None, staff_import=record)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"applied: {len(plan.changes)} changes."))
