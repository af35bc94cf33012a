"""`make bench-procedures`: the whole national file (75,071 procedures) imported with
`kyokan import-procedures` in a fresh database (wall time, CPU time and peak memory of that
process, measured), then the inventory's pages with those 75,000 procedures spread over 12
bureaus' divisions: the list (plain, filtered, searched, last page), the analysis, BPR and
progress pages — median server time (wall and CPU of the request) of 10 requests each.

The machine may be shared: the load average (``uptime``) is printed beside every figure, and
the CPU time says what the work itself cost when the wall time is stretched by others."""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench-procedures"
NATIONAL = Path(
    os.environ.get(
        "KYOKAN_NATIONAL_PROCEDURES",
        ROOT.parent / "shared/data/national-procedures/procedures-survey-r7.csv.gz",
    )
)
SEARCH = quote("てんにゅう")  # kana: matches kana only (no reading of kanji)
SEARCH_KANJI = quote("許可申請")  # a part of many names
KYOKAN = str(ROOT / ".venv" / "bin" / "kyokan")
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
WARMUP = 2
TARGET_MS = 300


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} CPUs"


def import_national(env) -> int:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = load()
    start = time.perf_counter()
    result = subprocess.run([KYOKAN, "import-procedures", str(NATIONAL), "--fiscal-year", "2024"],
                            env=env, capture_output=True, text=True)  # fmt: skip
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(result.stdout.strip(), result.stderr.strip()[-500:])
    print(
        f"procedures.import_national: {elapsed:.1f} s wall, {cpu:.1f} s CPU, peak memory "
        f"{after.ru_maxrss / 1024:.0f} MB (targets: < 60 s, < 1024 MB) "
        f"[{load_before} before, {load()} after]"
    )
    return result.returncode


def spread_over_divisions(admin) -> None:
    """12 bureaus of 3 divisions each; every procedure gets one (by id), as a city would."""
    from django.db import connection

    from kyokan.apps.core import services
    from kyokan.apps.core.models import Department
    from kyokan.apps.procedures.models import Procedure

    divisions = []
    for b in range(12):
        bureau = services.department_create(actor=admin, name=f"第{b + 1}部",
                                            kind=Department.Kind.BUREAU)  # fmt: skip
        for d in range(3):
            divisions.append(services.department_create(
                actor=admin, name=f"第{b + 1}部 第{d + 1}課", kind=Department.Kind.DIVISION,
                parent=bureau,
            ).pk)  # fmt: skip
    table = Procedure._meta.db_table
    with connection.cursor() as cursor:
        for i, pk in enumerate(divisions):
            cursor.execute(
                f"UPDATE {table} SET department_id = %s WHERE id %% %s = %s",
                [pk, len(divisions), i],
            )


def bench(pages) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-admin"))
    results = []
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for name, path in pages:
            walls, cpus = [], []
            for i in range(WARMUP + REPEAT):
                start, cpu_start = time.perf_counter(), time.process_time()
                response = client.get(path)
                wall = (time.perf_counter() - start) * 1000
                cpu = (time.process_time() - cpu_start) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{name}: {path} answered {response.status_code}")
                if i >= WARMUP:
                    walls.append(wall)
                    cpus.append(cpu)
            results.append({"page": name, "path": path, "median_ms": statistics.median(walls),
                            "cpu_ms": statistics.median(cpus), "load": load()})  # fmt: skip
            r = results[-1]
            flag = "ok" if r["median_ms"] < TARGET_MS else f"OVER {TARGET_MS} ms"
            print(f"{name}: median {r['median_ms']:.0f} ms wall, {r['cpu_ms']:.0f} ms CPU "
                  f"({flag}) [{r['load']}]", flush=True)  # fmt: skip
    return results


def main() -> int:
    if not NATIONAL.exists():
        print(f"national file not found: {NATIONAL}", file=sys.stderr)
        return 1
    env = {**os.environ, "KYOKAN_DATA_DIR": str(DATA), "KYOKAN_DEBUG": "0"}
    pages_only = "--pages-only" in sys.argv  # the last run's database, migrated, pages again
    code = 0
    if pages_only:
        subprocess.run([KYOKAN, "migrate", "--no-input", "-v0"], env=env, check=True)
    else:
        shutil.rmtree(DATA, ignore_errors=True)
        DATA.mkdir(parents=True)
        subprocess.run([KYOKAN, "migrate", "--no-input", "-v0"], env=env, check=True)
        code = import_national(env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyokan.config.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from kyokan.apps.core import services
    from kyokan.apps.core.roles import Role
    from kyokan.apps.procedures.models import Procedure

    if not pages_only:
        _setup(services, Role, make_password)
    division = (
        Procedure.objects.exclude(department=None)
        .values_list("department__parent_id", flat=True)
        .first()
    )
    return _pages(division, code)


def _setup(services, Role, make_password) -> None:
    admin = services.user_create(actor=None, username="bench-admin", full_name="性能 管理者",
                                 password_hash=make_password("bench-only"),
                                 roles=[(Role.SYSADMIN, None),
                                        (Role.SECRETARIAT, None)])  # fmt: skip
    services.municipality_create(actor=admin, name="性能試験市", code="139904",
                                 hourly_labour_cost=4200, citizen_hour_value=2400,
                                 default_useful_life_years=5)  # fmt: skip
    spread_over_divisions(admin)


def _pages(division, code) -> int:
    from kyokan.apps.procedures.models import Procedure

    n = Procedure.objects.count()
    last = -(-n // 25)
    print(f"{n} procedures in the database; pages of 25 ({last} pages)")
    pages = [
        ("procedures.list", "/procedures/"),
        ("procedures.list.filtered", "/procedures/?online_status=2&municipal=on"),
        ("procedures.list.bureau", f"/procedures/?department={division}&legal_basis_kind=law"),
        ("procedures.list.search", "/procedures/?q=" + SEARCH),
        ("procedures.list.search_kanji", "/procedures/?q=" + SEARCH_KANJI),
        ("procedures.list.last_page", f"/procedures/?page={last}"),
        ("procedures.analysis", "/procedures/analysis/"),
        ("procedures.analysis.municipal", "/procedures/analysis/?municipal=on"),
        ("procedures.bpr", "/procedures/bpr/"),
        ("procedures.bpr.last_page", "/procedures/bpr/?page=last"),
        ("procedures.progress", "/procedures/progress/"),
    ]  # fmt: skip
    results = bench(pages)
    over = [r["page"] for r in results if r["median_ms"] >= TARGET_MS]
    over_cpu = [r["page"] for r in results if r["cpu_ms"] >= TARGET_MS]
    print(f"pages over {TARGET_MS} ms wall: {', '.join(over) or 'none'}")
    print(f"pages over {TARGET_MS} ms CPU: {', '.join(over_cpu) or 'none'}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
