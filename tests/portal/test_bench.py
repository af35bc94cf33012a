"""The portal's part of `make bench` (kyokan/apps/portal/bench.py) on the tests' small city:
every portal page is timed anonymous with its wall and CPU time and its queries, the
furigana mode apart, and a page that does not answer 200 stops the bench."""

import pytest

from kyokan.apps.portal import bench
from kyokan.apps.procedures.importing import search_text_of
from kyokan.apps.procedures.models import Procedure
from tests.portal import content

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_city(people):
    built = content.build(people)
    rows = []
    for n in range(30):
        values = {
            "name": f"性能試験の届出{n:05d}",
            "law_name": "住民基本台帳法",
            "article": "第1条",
        }
        rows.append(Procedure(procedure_id=f"B-{n}", is_municipal=True, online_status="2",
                              search_text=search_text_of(values), **values))  # fmt: skip
    Procedure.objects.bulk_create(rows)
    return built


def test_every_portal_page_is_timed_anonymous_with_its_cpu_time(small_city):
    lines = []
    results = bench.extra(lines.append, repeat=2, warmup=1)
    names = [r["page"] for r in results]
    ruby = ["portal.home.ruby", "portal.initiatives.ruby", "portal.initiative.ruby"]
    assert names == [f"{p.name}.anonymous" for p in bench.PAGES] + [
        name + suffix for name in ruby for suffix in (".first", "")
    ]
    for result in results:
        assert set(result) == {"page", "path", "median_ms", "cpu_median_ms", "queries"}
        assert result["path"].startswith("/portal/") and result["median_ms"] > 0
        assert result["cpu_median_ms"] >= 0 and result["queries"] > 0, result
    search = next(r for r in results if r["page"] == "portal.procedures.search.anonymous")
    assert search["path"] == bench.PROCEDURE_SEARCH
    assert len(lines) == len(bench.PAGES) + len(ruby) and all("CPU" in line for line in lines)


def test_the_search_finds_what_the_api_bench_fills(client, sysadmin):
    import re

    from kyokan.apps.api import bench as api_bench

    api_bench.fill(sysadmin, lambda line: None, n=50)
    page = client.get(bench.PROCEDURE_SEARCH).content.decode()
    names = re.findall(r'<th scope="row">(.*?)</th>', page)
    assert names and all("届出" in name for name in names)
    assert len(names) == Procedure.objects.filter(name__contains="届出", is_municipal=True).count()


def test_a_page_that_fails_stops_the_bench(small_city, monkeypatch):
    from kyokan.apps.core.bench import BenchPage

    monkeypatch.setattr(bench, "PAGES", [BenchPage("portal.missing", lambda: "/portal/nope/")])
    with pytest.raises(RuntimeError, match="/portal/nope/ answered 404"):
        bench.extra(lambda line: None, repeat=1, warmup=0)
