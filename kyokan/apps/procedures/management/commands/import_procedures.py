"""kyokan import-procedures FILE [--municipal-only] [--dry-run] [--fiscal-year N] [--city]"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kyokan.apps.core.japanese_dates import fiscal_year_of

from ... import importing
from ...models import ColumnMapping


class Command(BaseCommand):
    help = (
        "Import procedures from the national survey's CSV (or .csv.gz), or with --city from the "
        "city's own Excel/CSV file. Prints the counts created, updated and rejected; exits "
        "non-zero with the row errors when anything is wrong, and then imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipal-only", action="store_true",
                            help="only 自治事務 and 法定受託事務")  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--fiscal-year", type=int, default=None,
                            help="fiscal year of the counts (default: the last one)")  # fmt: skip
        parser.add_argument("--city", action="store_true", help="the city's own file")
        parser.add_argument("--mapping", default="", help="saved column mapping (--city)")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            size = os.path.getsize(path)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            importing.check_size(size)  # before reading a byte of it
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with open(path, "rb") as handle:
            data = handle.read()
        fiscal_year = options["fiscal_year"] or fiscal_year_of(timezone.localdate()) - 1
        if not 1900 <= fiscal_year <= 2100:
            raise CommandError("--fiscal-year: 1900–2100")
        columns = None
        if options["mapping"]:
            mapping = ColumnMapping.objects.filter(name=options["mapping"]).first()
            if mapping is None:
                raise CommandError(f"no saved mapping named {options['mapping']!r}")
            columns = mapping.columns
        try:
            summary = importing.run(
                data, actor=None, kind="city" if options["city"] else "national",
                fiscal_year=fiscal_year, municipal_only=options["municipal_only"],
                columns=columns, dry_run=options["dry_run"], filename=os.path.basename(path),
            )  # fmt: skip
        except importing.ImportRejected as exc:
            for e in exc.row_errors:
                self.stderr.write(f"row {e.row}: {e.column}: {e.message}")
            self.stdout.write(f"created: 0, updated: 0, rejected: {exc.rejected_rows}")
            raise CommandError(exc.messages[0]) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not options["dry_run"]:
            from ...search_index import reindex

            reindex()
        prefix = "dry run (nothing written): " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}created: {summary['created']}, updated: {summary['updated']}, "
            f"unchanged: {summary['unchanged']}, skipped: {summary['skipped']}, rejected: 0"
        )
