"""`make bench` for the citizen portal: the large city's initiatives and headquarters
meetings marked public (bench data, written in bulk), then every portal page (as the bench's
administrator, like every page of the bench), and, apart, every portal page as an anonymous
citizen sees it with its median wall time and median CPU time (the machine may be shared:
the CPU time is what the request itself cost), and the furigana mode of the front page, the
initiative list and an initiative (its first request, then the cached analysis)."""

import statistics
import time

from django.db import connection
from django.db.models import Min
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from kyokan.apps.core.bench import BenchPage

REPEAT, WARMUP = 20, 2


def fill(admin, log) -> None:
    from kyokan.apps.meetings.models import Meeting
    from kyokan.apps.portfolio.models import Initiative

    log("Portal: marking the initiatives and the meetings public…")
    Initiative.objects.update(
        is_public=True, easy_japanese_summary="手続きを早く、わかりやすくします。"
    )
    Meeting.objects.filter(status__in=["scheduled", "held"]).update(is_public=True)


def _first(model, **filters):
    return model.objects.filter(**filters).aggregate(pk=Min("pk"))["pk"]


def _initiative() -> str:
    from kyokan.apps.portfolio.models import Initiative

    return f"/portal/initiatives/{_first(Initiative, is_public=True)}/"


def _meeting() -> str:
    from kyokan.apps.meetings.models import Meeting

    return f"/portal/meetings/{_first(Meeting, is_public=True, status='held')}/"


def _version() -> str:
    from kyokan.apps.documents.models import Version

    return f"/portal/versions/{_first(Version, state='adopted')}/"


# 届出 is in every fifth name of the api bench's 20,000 procedures (and 性能 in all of them).
PROCEDURE_SEARCH = "/portal/procedures/?q=%E5%B1%8A%E5%87%BA"

PAGES = [
    BenchPage("portal.home", lambda: "/portal/"),
    BenchPage("portal.documents", lambda: "/portal/documents/"),
    BenchPage("portal.version", _version),
    BenchPage("portal.initiatives", lambda: "/portal/initiatives/"),
    BenchPage("portal.initiatives.page10", lambda: "/portal/initiatives/?page=10"),
    BenchPage("portal.initiative", _initiative),
    BenchPage("portal.surveys", lambda: "/portal/surveys/"),
    BenchPage("portal.meetings", lambda: "/portal/meetings/"),
    BenchPage("portal.meeting", _meeting),
    BenchPage("portal.procedures", lambda: "/portal/procedures/"),
    BenchPage("portal.procedures.page40", lambda: "/portal/procedures/?page=40"),
    BenchPage("portal.procedures.search", lambda: PROCEDURE_SEARCH),
    BenchPage("portal.procedures.search.page20", lambda: PROCEDURE_SEARCH + "&page=20"),
    BenchPage("portal.participation", lambda: "/portal/participation/"),
    BenchPage("portal.accessibility", lambda: "/portal/accessibility/"),
]


def _timed(client: Client, path: str, *, repeat: int = REPEAT, warmup: int = WARMUP) -> dict:
    """Median wall and CPU milliseconds of ``repeat`` requests after ``warmup`` ones, and the
    queries of one; a request that is not a 200 stops the bench."""
    walls, cpus, queries = [], [], 0
    for i in range(warmup + repeat):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            start, cpu_start = time.perf_counter(), time.process_time()
            response = client.get(path)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if response.status_code != 200:
            raise RuntimeError(f"portal bench: {path} answered {response.status_code}")
        if i >= warmup:
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
            queries = len(ctx.captured_queries)
    return {
        "median_ms": round(statistics.median(walls), 2),
        "cpu_median_ms": round(statistics.median(cpus), 2),
        "queries": queries,
    }


def extra(log, *, repeat: int = REPEAT, warmup: int = WARMUP) -> list[dict]:
    """Every portal page anonymous (``<name>.anonymous``), then the furigana mode: the first
    request of a page analyses its text (``<name>.ruby.first``), the next ones reuse the
    per-process cache of analysed texts (``<name>.ruby``). Wall and CPU time of each."""
    from kyokan.apps.portal import furigana

    results = []
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        for page in PAGES:
            path = page.path()
            figures = _timed(client, path, repeat=repeat, warmup=warmup)
            results.append({"page": f"{page.name}.anonymous", "path": path, **figures})
            log(f"{page.name}.anonymous: median {figures['median_ms']:.1f} ms, CPU "
                f"{figures['cpu_median_ms']:.1f} ms, {figures['queries']} queries")  # fmt: skip
        for name, path in [("portal.home.ruby", "/portal/"),
                           ("portal.initiatives.ruby", "/portal/initiatives/"),
                           ("portal.initiative.ruby", _initiative())]:  # fmt: skip
            client = Client()
            client.cookies["kyokan_portal_ruby"] = "1"
            furigana.forget_dictionary()
            first = _timed(client, path, repeat=1, warmup=0)
            figures = _timed(client, path, repeat=repeat, warmup=0)
            log(
                f"{name}: first {first['median_ms']:.1f} ms (CPU {first['cpu_median_ms']:.1f}), "
                f"median {figures['median_ms']:.1f} ms (CPU {figures['cpu_median_ms']:.1f})"
            )
            results.append({"page": name + ".first", "path": path, **first})
            results.append({"page": name, "path": path, **figures})
    return results
