"""`make bench` for the JSON API: the large city's procedure inventory (bulk rows: the bench
measures the API, not the import), then the API's public lists and details and one
authenticated write, each requested ``repeat`` times after ``warmup`` requests — median
server time and SQL queries of the request, as every page of the bench.

The rate limit is lifted for the run (the bench is one client asking thousands of times).
The write records a fiscal year's counts of one procedure through an integration's token, a
new value each time, in a transaction rolled back afterwards: the bench city stays as it was.
Every request is checked (status, a list that is not empty, the value written), so that the
bench never times an error or an empty page."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Min
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

PROCEDURES = 20_000  # 3 in 4 the municipality's (public), over every division
YEARS = 3  # yearly counts of the last fiscal years
REPEAT, WARMUP = 20, 2
PREFIX = "BENCH-"


def _fiscal_year() -> int:
    from django.utils import timezone

    from kyokan.apps.core.japanese_dates import fiscal_year_of

    return fiscal_year_of(timezone.localdate())


def fill(admin, log, *, n: int | None = None) -> None:
    """``n`` procedures (default :data:`PROCEDURES`) in the national survey's schema over the
    city's divisions, with their counts of the last :data:`YEARS` fiscal years, each
    procedure recorded in the audit trail."""
    from kyokan.apps.core.audit import audit_record_many
    from kyokan.apps.core.models import AuditEvent, Department
    from kyokan.apps.procedures.importing import search_text_of
    from kyokan.apps.procedures.models import Procedure, ProcedureYear

    n = PROCEDURES if n is None else n
    if Procedure.objects.filter(procedure_id__startswith=PREFIX).exists():
        return
    divisions = list(
        Department.objects.filter(kind=Department.Kind.DIVISION)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    if not divisions:
        raise RuntimeError("api bench: the city has no division to carry out procedures")
    fy = _fiscal_year()
    statuses = ("1", "2", "2", "5", "3")
    kinds = ("交付申請", "届出", "認定請求", "許可申請", "証明書の請求")
    log(f"api: {n} procedures with {YEARS} years of counts each")

    def procedure(i: int) -> Procedure:
        # Round k over the divisions: every division (and bureau) gets every kind of row.
        k = i // len(divisions)
        status = statuses[(i + k) % len(statuses)]
        total = 50 + (i * 37) % 5000
        online = {"1": total * 3 // 5, "5": total // 5}.get(status, 0)
        values = {
            "name": f"性能試験の{kinds[i % len(kinds)]}{i:05d}",
            "law_name": "住民基本台帳法" if i % 3 else "性能試験市手数料条例",
            "article": f"第{i % 40 + 1}条",
        }
        return Procedure(
            procedure_id=f"{PREFIX}{i:06d}", **values, search_text=search_text_of(values),
            is_municipal=k % 4 != 3, department_id=divisions[i % len(divisions)],
            online_status=status, planned_online_year=fy + 1 + i % 3 if status == "2" else None,
            total_count=total, online_count=online, offline_count=total - online,
            counter_count=(total - online) * 4 // 5, mail_count=(total - online) // 5,
            counts_year=fy - 1, seal="required" if i % 2 else "abolished",
            attachment_count=i % 4, attachments_removed=i % 2,
        )  # fmt: skip

    Procedure.objects.bulk_create((procedure(i) for i in range(n)), batch_size=500)
    # Whole rows: the audit trail's snapshot reads every field.
    made = list(Procedure.objects.filter(procedure_id__startswith=PREFIX).order_by("id"))
    years = (
        ProcedureYear(
            procedure=p, fiscal_year=fy - back, online_status=p.online_status,
            total_count=p.total_count - 10 * back, online_count=max(p.online_count - back, 0),
        )
        for p in made
        for back in range(1, YEARS + 1)
    )  # fmt: skip
    ProcedureYear.objects.bulk_create(years, batch_size=5000)
    audit_record_many(
        actor=admin, action=AuditEvent.Action.CREATE, targets=made, summary="bench procedures"
    )


# --- what is timed ---------------------------------------------------------------------------


def _first(model, **filters):
    return model.objects.filter(**filters).aggregate(pk=Min("pk"))["pk"]


def _public_procedure_id() -> str:
    from kyokan.apps.procedures import public

    row = public.public_procedures().filter(procedure_id__startswith=PREFIX).first()
    if row is None:
        raise RuntimeError("api bench: no public procedure (run fill first)")
    return row["procedure_id"]


def _procedures_last_page() -> str:
    from kyokan.apps.procedures import public

    count = public.public_procedures().count()
    return f"/api/v1/procedures?limit=100&offset={max(count - 100, 0)}"


def _filtered() -> str:
    """Not yet online, in the bureau of the first such procedure (one of many there)."""
    from kyokan.apps.procedures.models import Procedure

    bureau = (
        Procedure.objects.filter(procedure_id__startswith=PREFIX, is_municipal=True,
                                 online_status="2")
        .order_by("id")
        .values_list("department__parent_id", flat=True)
        .first()
    )  # fmt: skip
    return f"/api/v1/procedures?online_status=2&bureau_id={bureau}&limit=100"


def _initiative() -> str:
    from kyokan.apps.portfolio.models import Initiative

    return f"/api/v1/initiatives/{_first(Initiative, is_public=True)}"


def _version() -> str:
    from kyokan.apps.documents.models import Version

    return f"/api/v1/versions/{_first(Version, state=Version.State.ADOPTED)}"


@dataclass(frozen=True)
class Read:
    name: str  # stable, as the bench's page names
    path: Callable[[], str]
    is_list: bool = True


READS: list[Read] = [
    Read("api.procedures", lambda: "/api/v1/procedures?limit=100"),
    Read("api.procedures.filtered", _filtered),
    Read("api.procedures.search", lambda: "/api/v1/procedures?q=%E8%A8%B1%E5%8F%AF&limit=100"),
    Read("api.procedures.last_page", _procedures_last_page),
    Read("api.procedure", lambda: f"/api/v1/procedures/{_public_procedure_id()}", False),
    Read("api.initiative", _initiative, False),
    Read("api.kpis", lambda: "/api/v1/kpis?limit=100"),
    Read("api.budgets", lambda: "/api/v1/budgets?limit=100"),
    Read("api.documents", lambda: "/api/v1/documents"),
    Read("api.version", _version, False),
    Read("api.datasets.procedures", lambda: "/api/v1/datasets/procedures?limit=100"),
]


def _timed(request: Callable[[int], object], check, *, repeat: int, warmup: int):
    """(median ms, queries of a request) of ``request(i)`` for i in 0 … warmup + repeat."""
    if repeat < 1:
        raise ValueError("repeat at least once")
    timings, queries = [], 0
    for i in range(warmup + repeat):
        connection.queries_log.clear()  # the log is capped at 9000 entries
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = request(i)
            elapsed = (time.perf_counter() - start) * 1000
        check(response, i)
        if i >= warmup:
            timings.append(elapsed)
            queries = len(ctx.captured_queries)
    return round(statistics.median(timings), 2), queries


def _json(name: str, path: str, response) -> dict:
    if response.status_code != 200:
        raise RuntimeError(
            f"{name}: {path} answered {response.status_code}: {response.content[:300]!r}"
        )
    return response.json()


def measure_reads(log, *, repeat: int = REPEAT, warmup: int = WARMUP) -> list[dict]:
    client = Client()
    results = []
    for read in READS:
        path = read.path()

        def check(response, i, read=read, path=path):
            body = _json(read.name, path, response)
            if read.is_list and not body["results"]:
                raise RuntimeError(f"{read.name}: {path} has no rows: nothing would be timed")

        median, queries = _timed(
            lambda i, path=path: client.get(path), check, repeat=repeat, warmup=warmup
        )
        log(f"{read.name}: median {median:.1f} ms, {queries} queries ({path})")
        results.append({"page": read.name, "path": path, "median_ms": median, "queries": queries})
    return results


class _Rollback(Exception):
    pass


def _administrator():
    """Who makes the bench's system account: the bench city's administrator, or else the
    first system administrator."""
    from kyokan.apps.core.models import User
    from kyokan.apps.core.roles import Role

    found = (
        User.objects.filter(username="bench-admin").first()
        or User.objects.filter(role_assignments__role=Role.SYSADMIN).order_by("id").first()
    )
    if found is None:
        raise RuntimeError("api bench: no system administrator to create the system account")
    return found


def measure_write(log, *, repeat: int = REPEAT, warmup: int = WARMUP) -> dict:
    """PUT a fiscal year's counts of one procedure with an integration's token (a new value
    each time), then roll everything back (the account included)."""
    from kyokan.apps.procedures.models import Procedure, ProcedureYear

    from . import services

    name = "api.procedure_counts.write"
    fy = _fiscal_year()
    result: dict = {}
    try:
        with transaction.atomic():
            procedure = (
                Procedure.objects.select_related("department")
                .filter(procedure_id=_public_procedure_id())
                .get()
            )
            bureau = procedure.department.parent or procedure.department
            _account, token = services.account_create(
                actor=_administrator(), name="性能試験の連携", department=bureau,
                scopes=["procedures"],
            )  # fmt: skip
            path = f"/api/v1/procedures/{procedure.procedure_id}/counts"
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

            def body(i: int) -> dict:
                return {"fiscal_year": fy, "online_status": "5", "counter_count": 700 + i,
                        "mail_count": 100, "online_count": 200 + i}  # fmt: skip

            def put(i: int):
                return client.put(path, json.dumps(body(i)), content_type="application/json")

            def check(response, i):
                written = _json(name, path, response)
                if written["total_count"] != 1000 + 2 * i:
                    raise RuntimeError(f"{name}: {path} did not write: {written}")

            median, queries = _timed(put, check, repeat=repeat, warmup=warmup)
            last = warmup + repeat - 1
            stored = ProcedureYear.objects.get(procedure=procedure, fiscal_year=fy)
            if stored.total_count != 1000 + 2 * last:
                raise RuntimeError(f"{name}: the last value was not stored")
            result = {"page": name, "path": path, "median_ms": median, "queries": queries}
            raise _Rollback
    except _Rollback:
        pass
    log(f"{name}: median {result['median_ms']:.1f} ms, {result['queries']} queries "
        f"(PUT {result['path']}, rolled back)")  # fmt: skip
    return result


def extra(log, *, repeat: int = REPEAT, warmup: int = WARMUP) -> list[dict]:
    from kyokan.apps.core.models import User
    from kyokan.apps.procedures.models import Procedure

    admin = User.objects.filter(username="bench-admin").first()
    if admin and not Procedure.objects.filter(procedure_id__startswith=PREFIX).exists():
        log("api: the bench city predates the API's bench; adding its procedures…")
        with transaction.atomic():
            fill(admin, log)
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False,
                           KYOKAN_API_RATE_LIMIT=10**9):  # fmt: skip
        return [
            *measure_reads(log, repeat=repeat, warmup=warmup),
            measure_write(log, repeat=repeat, warmup=warmup),
        ]
