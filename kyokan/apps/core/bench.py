"""`make bench`: a large city (40 部局, 300 課, 30,000 people) and the server time and SQL
query count of each main page.

Every app may have a ``bench.py`` with ``PAGES`` (a list of BenchPage), ``fill(admin, log)``
(adds its data to the large city) and ``extra(log)`` (other measured figures, in the same
shape as the page figures); ``bench_run`` finds them in the order of INSTALLED_APPS."""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from . import services
from .audit import audit_record_many
from .models import AuditEvent, Department, RoleAssignment, User
from .roles import Role

BUREAUS, DIVISIONS, PEOPLE = 40, 300, 30_000


@dataclass(frozen=True)
class BenchPage:
    name: str  # stable, e.g. "core.people"
    path: Callable[[], str]


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("id").values_list("pk", flat=True).first()


PAGES: list[BenchPage] = [
    BenchPage("core.home", lambda: "/"),
    BenchPage("core.people", lambda: "/people/"),
    BenchPage("core.people.search", lambda: "/people/?q=%E8%A9%A6%E9%A8%93"),
    BenchPage("core.people.last_page", lambda: "/people/?page=last"),
    BenchPage("core.person_detail", lambda: f"/people/{_first(User, username='bench00001')}/"),
    BenchPage("core.departments", lambda: "/departments/"),
    BenchPage(
        "core.department_detail",
        lambda: f"/departments/{_first(Department, parent__isnull=True)}/",
    ),
    BenchPage("core.fiscal_years", lambda: "/fiscal-years/"),
    BenchPage("core.fiscal_year_detail", lambda: "/fiscal-years/2023/"),
    BenchPage("core.municipality", lambda: "/settings/municipality/"),
    BenchPage("core.audit", lambda: "/audit/"),
    BenchPage("core.audit.filtered", lambda: "/audit/?action=create&q=%E8%A9%A6%E9%A8%93"),
    BenchPage("core.audit_detail", lambda: f"/audit/{_first(AuditEvent)}/"),
    BenchPage("core.profile", lambda: "/profile/"),
    BenchPage("core.notifications", lambda: "/notifications/"),
    BenchPage("core.notifications.page_5", lambda: "/notifications/?page=5"),
    BenchPage("core.my_work", lambda: "/my-work/"),
    BenchPage("core.search", lambda: "/search/?q=%E8%81%B7%E5%93%A1%E3%81%AE%E4%B9%9D"),
    BenchPage("core.search.kana", lambda: "/search/?q=%E3%82%B7%E3%82%B1%E3%83%B3"),
    BenchPage("core.search.short", lambda: "/search/?q=%E7%AC%AC0"),
]

NOTIFICATIONS_EACH = 100  # in every person's history (the administrator has 300)


def _app_bench_modules():
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("kyokan.apps."):
            try:
                yield importlib.import_module(f"{config.name}.bench")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.bench":
                    raise


def bench_city_exists() -> bool:
    return User.objects.filter(username="bench-admin").exists()


def bench_run(*, repeat: int, log: Callable[[str], None] = print) -> list[dict]:
    """Fill the large city once (every app's data), then measure every app's pages."""
    modules = list(_app_bench_modules())
    if not bench_city_exists():
        log("Filling the large city (once per bench database)…")
        with transaction.atomic():
            admin = fill(log)
            for module in modules:
                if module.__name__ != __name__ and hasattr(module, "fill"):
                    module.fill(admin, log)
    pages = [page for module in modules for page in getattr(module, "PAGES", [])]
    results = bench_pages(pages, repeat=repeat)
    for module in modules:
        if hasattr(module, "extra"):
            results += module.extra(log)
    return results


def fill(log: Callable[[str], None] = print) -> User:
    """Create the large city through bulk writes, each written row recorded in the trail."""
    admin = services.user_create(
        actor=None,
        username="bench-admin",
        full_name="性能 管理者",
        password_hash=make_password("bench-only"),
        roles=[(Role.SYSADMIN, None), (Role.SECRETARIAT, None)],
    )
    services.municipality_create(
        actor=admin,
        name="性能試験市",
        code="139904",
        hourly_labour_cost=4200,
        citizen_hour_value=2400,
        default_useful_life_years=5,
    )
    for year in range(2021, 2032):
        services.fiscal_year_create(actor=admin, year=year)
    bureaus = Department.objects.bulk_create(
        Department(name=f"第{i:02d}部", kind=Department.Kind.BUREAU, sort_order=i)
        for i in range(BUREAUS)
    )
    bureaus = list(Department.objects.filter(parent__isnull=True).order_by("id"))
    Department.objects.bulk_create(
        Department(
            name=f"第{i:03d}課",
            kind=Department.Kind.DIVISION,
            parent=bureaus[i % BUREAUS],
            sort_order=i,
        )
        for i in range(DIVISIONS)
    )
    divisions = list(Department.objects.filter(parent__isnull=False).order_by("id"))
    log(f"  {len(bureaus)} bureaus, {len(divisions)} divisions")
    unusable = make_password(None)
    User.objects.bulk_create(
        (
            User(
                username=f"bench{i:05d}",
                full_name=f"試験 職員{i:05d}",
                full_name_kana="しけん しょくいん",
                email=f"bench{i:05d}@example.jp",
                department=divisions[i % DIVISIONS],
                title="主事",
                password=unusable,
            )
            for i in range(PEOPLE)
        ),
        batch_size=2000,
    )
    people = list(
        User.objects.filter(username__startswith="bench").exclude(pk=admin.pk).order_by("id")
    )
    assignments = [RoleAssignment(user=u, role=Role.STAFF) for u in people]
    assignments += [
        RoleAssignment(user=u, role=Role.PROMOTER, department=bureaus[i % BUREAUS])
        for i, u in enumerate(people[:400])
    ]
    assignments += [RoleAssignment(user=u, role=Role.HQ_MEMBER) for u in people[400:440]]
    RoleAssignment.objects.bulk_create(assignments, batch_size=2000)
    log(f"  {len(people)} people, {len(assignments)} role assignments")
    n = audit_record_many(
        actor=admin,
        action=AuditEvent.Action.CREATE,
        targets=[*bureaus, *divisions, *people],
        summary="bench city",
    )
    log(f"  {n} audit events")
    _fill_notifications(admin, people, log)
    from .search import index_rebuild

    counts = index_rebuild(kinds=["core.user", "core.department"])
    log(f"  search index: {counts}")
    return admin


def _fill_notifications(admin, people, log) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from .models import Notification

    now = timezone.now()

    def rows():
        for person, count in [(admin, 300), *((p, NOTIFICATIONS_EACH) for p in people)]:
            for k in range(count):
                yield Notification(
                    recipient=person,
                    kind="meetings.invited",
                    subject=f"第{k % 9 + 1}回本部会議のご案内",
                    body="日程の回答をお願いします。",
                    link="/meetings/",
                    created_at=now - timedelta(hours=k),
                    read_at=None if k % 4 == 0 else now,
                )

    batch = []
    total = 0
    for row in rows():
        batch.append(row)
        if len(batch) == 5000:
            Notification.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    Notification.objects.bulk_create(batch)
    total += len(batch)
    log(f"  {total} notifications")


class _Rollback(Exception):
    pass


def _timed_and_undone(name: str, fn) -> dict:
    """Time ``fn`` inside a transaction that is then rolled back (the bench city is kept)."""
    start = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            elapsed = (time.perf_counter() - start) * 1000
            raise _Rollback
    except _Rollback:
        pass
    return {"page": name, "path": "", "median_ms": round(elapsed, 2), "queries": 0}


def extra(log) -> list[dict]:
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    from . import hr, notifications

    admin = User.objects.get(username="bench-admin")
    people = list(User.objects.filter(username__startswith="bench0").order_by("id")[:3000])
    divisions = list(Department.objects.filter(parent__isnull=False).select_related("parent"))
    lines = ["区分,部局,課,操作,旧名称,統合先,職員番号,氏名,ふりがな,メール,職名,役割,退職"]
    lines.append(f"組織,{divisions[0].parent.name},新設課,新設,,,,,,,,,")
    for i, person in enumerate(people):
        target = divisions[(i * 7) % len(divisions)]
        lines.append(
            f"職員,{target.parent.name},{target.name},,,,{person.username},"
            f"{person.full_name},,,主任,,"
        )
    data = ("\n".join(lines) + "\n").encode("utf-8-sig")

    def hr_import():
        for person in people:  # the HR system's key
            person.staff_number = person.username
        User.objects.bulk_update(people, ["staff_number"], batch_size=1000)
        record, plan = hr.staff_import_preview(
            actor=admin, data=data, filename="bench.csv", effective=timezone.localdate()
        )
        assert plan.ok, plan.errors[:3]
        hr.staff_import_apply(actor=admin, staff_import=record)

    log("HR import of 3,000 people (preview and apply, rolled back)…")
    results = [_timed_and_undone("core.hr_import.3000", hr_import)]

    kind = notifications.register_kind("core.bench", gettext_lazy("Benchmark"))
    everyone = list(User.objects.filter(is_active=True))

    def remind():
        notifications.notify(
            actor=admin,
            recipients=everyone,
            kind=kind.key,
            message=lambda: notifications.Message(subject="回答のお願い", text="未回答です。"),
            link="/my-work/",
            dedupe_key="bench-reminder",
        )

    log(f"Queueing a reminder to {len(everyone):,} people (rolled back)…")
    results.append(_timed_and_undone("core.reminders.30000", remind))
    return results


def bench_pages(pages: list[BenchPage], *, repeat: int = 20, warmup: int = 2) -> list[dict]:
    admin = User.objects.get(username="bench-admin")
    client = Client()
    client.force_login(admin)
    results = []
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for page in pages:
            path = page.path()
            if path.endswith("page=last"):
                path = path.replace("last", str(-(-PEOPLE // 25)))
            timings, queries = [], 0
            for i in range(warmup + repeat):
                connection.queries_log.clear()  # the log is capped at 9000 entries
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(path)
                    if response.streaming:  # a download: count the time to produce it
                        b"".join(response.streaming_content)
                    elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{page.name}: {path} answered {response.status_code}")
                if i >= warmup:
                    timings.append(elapsed)
                    queries = len(ctx.captured_queries)
            results.append(
                {
                    "page": page.name,
                    "path": path,
                    "median_ms": round(statistics.median(timings), 2),
                    "queries": queries,
                }
            )
    return results


def bench_write(results: list[dict], path: Path) -> None:
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
