"""`make bench` for the citizen portal: the large city's initiatives and headquarters
meetings marked public (bench data, written in bulk), then every portal page, and the
furigana mode of the front page and of the initiative list timed apart (anonymous)."""

import statistics
import time

from django.db.models import Min
from django.test import Client
from django.test.utils import override_settings

from kyokan.apps.core.bench import BenchPage


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
    BenchPage("portal.accessibility", lambda: "/portal/accessibility/"),
]


def extra(log) -> list[dict]:
    """The furigana mode, anonymous: the first request of a page analyses its text, the
    next ones reuse the per-process cache of analysed texts; both are reported."""
    results = []
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for name, path in [("portal.home.ruby", "/portal/"),
                           ("portal.initiatives.ruby", "/portal/initiatives/"),
                           ("portal.initiative.ruby", _initiative())]:  # fmt: skip
            client = Client()
            client.cookies["kyokan_portal_ruby"] = "1"
            from kyokan.apps.portal import furigana

            furigana.forget_dictionary()
            start = time.perf_counter()
            client.get(path)
            first = (time.perf_counter() - start) * 1000
            timings = []
            for _ in range(20):
                start = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            log(f"{name}: first {first:.1f} ms, median {statistics.median(timings):.1f} ms")
            results.append({"page": name + ".first", "path": path, "median_ms": round(first, 2),
                            "queries": 0})  # fmt: skip
            median = round(statistics.median(timings), 2)
            results.append({"page": name, "path": path, "median_ms": median, "queries": 0})
    return results
