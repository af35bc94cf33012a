"""`make bench-procedures`: the whole national file (75,071 procedures) imported with
`kyokan import-procedures` in a fresh database (time and peak memory of that process,
measured), then the median server time of the inventory's pages with 75,000 procedures
(the list, filtered and searched, the analysis, BPR and progress pages)."""

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench-procedures"
NATIONAL = Path(
    os.environ.get(
        "KYOKAN_NATIONAL_PROCEDURES",
        ROOT.parent / "shared/data/national-procedures/procedures-survey-r7.csv.gz",
    )
)
SEARCH = "%E3%81%A6%E3%82%93%E3%81%AB%E3%82%85%E3%81%86"  # てんにゅう
KYOKAN = str(ROOT / ".venv" / "bin" / "kyokan")


def main() -> int:
    if not NATIONAL.exists():
        print(f"national file not found: {NATIONAL}", file=sys.stderr)
        return 1
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    env = {**os.environ, "KYOKAN_DATA_DIR": str(DATA), "KYOKAN_DEBUG": "0"}
    subprocess.run([KYOKAN, "migrate", "--no-input", "-v0"], env=env, check=True)
    start = time.perf_counter()
    result = subprocess.run([KYOKAN, "import-procedures", str(NATIONAL), "--fiscal-year", "2024"],
                            env=env, capture_output=True, text=True)  # fmt: skip
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.strip(), result.stderr.strip()[-500:])
    print(f"procedures.import_national: {elapsed:.1f} s, peak memory {peak_mb:.0f} MB "
          f"(targets: < 60 s, < 1024 MB)")  # fmt: skip
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyokan.config.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from kyokan.apps.core import services
    from kyokan.apps.core.bench import BenchPage, bench_pages
    from kyokan.apps.core.roles import Role

    admin = services.user_create(actor=None, username="bench-admin", full_name="性能 管理者",
                                 password_hash=make_password("bench-only"),
                                 roles=[(Role.SYSADMIN, None),
                                        (Role.SECRETARIAT, None)])  # fmt: skip
    services.municipality_create(actor=admin, name="性能試験市", code="139904",
                                 hourly_labour_cost=4200, citizen_hour_value=2400,
                                 default_useful_life_years=5)  # fmt: skip
    pages = [
        BenchPage("procedures.list", lambda: "/procedures/"),
        BenchPage("procedures.list.filtered", lambda: "/procedures/?online_status=2&municipal=on"),
        BenchPage("procedures.list.search", lambda: "/procedures/?q=" + SEARCH),
        BenchPage("procedures.list.last_page", lambda: "/procedures/?page=3000"),
        BenchPage("procedures.analysis", lambda: "/procedures/analysis/"),
        BenchPage("procedures.analysis.municipal", lambda: "/procedures/analysis/?municipal=on"),
        BenchPage("procedures.bpr", lambda: "/procedures/bpr/"),
        BenchPage("procedures.progress", lambda: "/procedures/progress/"),
    ]  # fmt: skip
    results = bench_pages(pages, repeat=10)
    for r in results:
        flag = "ok" if r["median_ms"] < 300 else "OVER 300 ms"
        print(f"{r['page']}: median {r['median_ms']} ms, {r['queries']} queries ({flag})")
    return 0 if result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
