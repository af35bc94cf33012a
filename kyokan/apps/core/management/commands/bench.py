from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from kyokan.apps.core import bench


class Command(BaseCommand):
    help = "Benchmark the main pages on a large city; writes bench-results.json."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument(
            "--out", default=str(settings.BASE_DIR / "bench-results.json"), help="JSON output"
        )

    def handle(self, *args, repeat: int, out: str, **options):
        results = bench.bench_run(repeat=repeat, log=self.stdout.write)
        self.stdout.write(f"{'page':<32} {'median ms':>10} {'queries':>8}  path")
        for r in results:
            self.stdout.write(
                f"{r['page']:<32} {r['median_ms']:>10.2f} {r['queries']:>8}  {r['path']}"
            )
        bench.bench_write(results, Path(out))
        self.stdout.write(f"Written to {out}")
