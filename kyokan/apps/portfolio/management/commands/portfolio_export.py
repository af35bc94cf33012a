"""``kyokan portfolio-export --out FILE.csv`` (or .xlsx): the portfolio table, as the
browser's download writes it."""

from pathlib import Path

from django.core.management.base import BaseCommand

from kyokan.apps.core import exports
from kyokan.apps.portfolio import selectors, table


class Command(BaseCommand):
    help = "Export the portfolio table as CSV (UTF-8 with BOM) or Excel."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options):
        out = Path(options["out"])
        rows = [table.row_of(i) for i in selectors.table_rows(selectors.initiatives())]
        if out.suffix.lower() == ".xlsx":
            data = exports.xlsx_bytes([exports.Sheet("取組", table.header(), rows)])
        else:
            data = exports.csv_bytes(table.header(), rows)
        out.write_bytes(data)
        self.stdout.write(f"{len(rows)} initiatives written to {out}")
