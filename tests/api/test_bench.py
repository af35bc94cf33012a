"""The API's part of `make bench` (kyokan/apps/api/bench.py) on a tiny city: its fill makes
an inventory, every read and the write are timed and answered as they should be, the write
is rolled back, and a bench that would time an error or an empty list stops instead."""

import pytest

from kyokan.apps.api import bench
from kyokan.apps.api.models import ApiAccount
from kyokan.apps.core.models import AuditEvent, FiscalYear
from kyokan.apps.procedures import public
from kyokan.apps.procedures.models import Procedure, ProcedureYear

from .conftest import FY

pytestmark = pytest.mark.django_db

N = 60


@pytest.fixture
def tiny_city(sysadmin, public_initiative):
    from kyokan.apps.documents import services as ds
    from kyokan.apps.documents.services import SectionData
    from kyokan.apps.portfolio import services as ps
    from tests.documents.adoption import adopt

    ps.budget_set(actor=sysadmin, initiative=public_initiative, fiscal_year=FY,
                  requested_yen=1_000_000)  # fmt: skip
    document = ds.document_create(actor=sysadmin, kind="strategy", title="戦略")
    version = ds.version_create(actor=sysadmin, document=document, label="初版",
                                sections=[SectionData("目指す姿", "本文")])  # fmt: skip
    adopt(version, actor=sysadmin)
    return sysadmin


def test_fill_makes_an_inventory_once(tiny_city):
    lines = []
    bench.fill(tiny_city, lines.append, n=N)
    made = Procedure.objects.filter(procedure_id__startswith=bench.PREFIX)
    assert made.count() == N and lines
    assert 0 < public.public_procedures().count() < N  # some are not the municipality's
    assert ProcedureYear.objects.count() == N * bench.YEARS
    assert AuditEvent.objects.filter(target_type="procedures.procedure").count() == N
    assert not made.filter(department__isnull=True).exists()
    bench.fill(tiny_city, lines.append, n=N)  # a second fill adds nothing
    assert made.count() == N


def test_every_read_and_the_write_are_timed(tiny_city):
    bench.fill(tiny_city, lambda line: None, n=N)
    before = {
        "accounts": ApiAccount.objects.count(),
        "years": ProcedureYear.objects.count(),
        "events": AuditEvent.objects.count(),
    }
    lines = []
    results = bench.extra(lines.append, repeat=2, warmup=1)
    names = [r["page"] for r in results]
    assert names == [r.name for r in bench.READS] + ["api.procedure_counts.write"]
    for result in results:
        assert set(result) == {"page", "path", "median_ms", "queries"}
        assert result["path"].startswith("/api/v1/") and result["median_ms"] > 0
        assert result["queries"] > 0, result
    assert len(lines) == len(results) and all("median" in line for line in lines)
    write = results[-1]
    assert write["path"].endswith("/counts") and "rolled back" in lines[-1]
    # The write was real (checked inside) and then undone, its account with it.
    after = {
        "accounts": ApiAccount.objects.count(),
        "years": ProcedureYear.objects.count(),
        "events": AuditEvent.objects.count(),
    }
    assert after == before
    assert not ProcedureYear.objects.filter(fiscal_year=FY).exists()


def test_an_empty_inventory_is_not_timed(tiny_city):
    with pytest.raises(RuntimeError, match=r"api\.procedures: \S+ has no rows"):
        bench.extra(lambda line: None, repeat=1, warmup=0)


def test_a_refused_write_stops_the_bench(tiny_city):
    bench.fill(tiny_city, lambda line: None, n=N)
    FiscalYear.objects.filter(year=FY).delete()  # the counts' year is not the city's
    with pytest.raises(RuntimeError, match="answered 422"):
        bench.measure_write(lambda line: None, repeat=1, warmup=0)
    assert not ApiAccount.objects.exists()


def test_a_read_that_fails_stops_the_bench(tiny_city, monkeypatch):
    bench.fill(tiny_city, lambda line: None, n=N)
    monkeypatch.setattr(bench, "READS", [bench.Read("api.missing", lambda: "/api/v1/nothing")])
    with pytest.raises(RuntimeError, match="answered 404"):
        bench.measure_reads(lambda line: None, repeat=1, warmup=0)


def test_a_bench_city_made_before_the_api_bench_gets_its_procedures(tiny_city, monkeypatch):
    from tests.factories import UserFactory

    UserFactory(username="bench-admin")
    monkeypatch.setattr(bench, "PROCEDURES", 30)
    lines = []
    results = bench.extra(lines.append, repeat=1, warmup=0)
    assert Procedure.objects.filter(procedure_id__startswith=bench.PREFIX).count() == 30
    assert "predates" in lines[0] and len(results) == len(bench.READS) + 1
