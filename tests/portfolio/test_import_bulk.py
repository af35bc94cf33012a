"""The import writes in bulk: checked in memory (no query per row), one insert, one batch of
audit entries, the search index rebuilt in bulk; still all or nothing, and every initiative
findable in the site search by the same text whichever way it was indexed."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kyokan.apps.core.models import AuditEvent, SearchEntry
from kyokan.apps.core.search import index_rebuild, site_search
from kyokan.apps.portfolio import services, table
from kyokan.apps.portfolio.models import Initiative

from .conftest import FY, initiative_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("years")]


def _table(bureau, n: int, *, bad_row: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.key for c in table.INPUT_COLUMNS])
    for k in range(n):
        life = "0" if k == bad_row else "5"
        writer.writerow(
            ["", f"取込{k:04d}", bureau.name, "", FY, FY + 1, "計画", "変革", "X",
             "規則:押印規則", "なし", "なし", 1_000_000 + k, 100_000, life, 10, 1000, 10, 100, 0]
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()


def _queries(people, data) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        plan = services.portfolio_import(actor=people["secretariat"], data=data, filename="t.csv")
    return len(ctx.captured_queries), plan


def test_the_import_does_not_query_per_row(people, bureau):
    small, plan = _queries(people, _table(bureau, services.INDEX_REBUILD_FROM))
    assert plan.ok and plan.counts["created"] == services.INDEX_REBUILD_FROM
    Initiative.objects.all().delete()
    large, plan = _queries(people, _table(bureau, 3 * services.INDEX_REBUILD_FROM))
    assert plan.ok and plan.counts["created"] == 3 * services.INDEX_REBUILD_FROM
    # Batched inserts only (SQLite takes some 26 initiatives per INSERT): 200 more rows
    # cost far less than one query per row (before: about ten per row).
    assert large - small < 2 * services.INDEX_REBUILD_FROM / 10
    created = Initiative.objects.count()
    assert created == 3 * services.INDEX_REBUILD_FROM
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, target_type="portfolio.initiative"
    )
    assert events.count() == 4 * services.INDEX_REBUILD_FROM  # every initiative, both runs
    last = Initiative.objects.order_by("-id").first()
    event = events.get(target_id=str(last.pk))
    assert event.after["title"] == last.title and event.after["useful_life_years"] == 5
    assert SearchEntry.objects.filter(kind=services.SEARCH_KIND).count() == created


def test_one_bad_cell_among_many_imports_nothing(people, bureau):
    _count, plan = _queries(people, _table(bureau, 150, bad_row=120))
    assert not plan.ok
    assert [(e.row, e.column) for e in plan.errors] == [(122, "useful_life_years")]
    assert not Initiative.objects.exists()
    assert not AuditEvent.objects.filter(target_type="portfolio.initiative").exists()


def test_the_bulk_service_checks_every_row_and_writes_none_on_an_error(sysadmin, bureau,
                                                                      other_bureau):  # fmt: skip
    good = initiative_fields(bureau, title="良い行")
    for bad, field in [
        (initiative_fields(bureau, fiscal_year_end=FY + 30), "fiscal_year_end"),
        (initiative_fields(bureau, rule_kind="regulation", rule_name=""), "rule_name"),
        (initiative_fields(bureau, division=other_bureau.children.first()), "division"),
        (initiative_fields(bureau, organisation_kind=""), "organisation_kind"),
    ]:
        with pytest.raises(ValidationError) as info, translation.override("en"):
            services.initiatives_create_many(actor=sysadmin, rows=[good, bad])
        assert "no. 2" in str(info.value), field
        assert not Initiative.objects.exists()
    made = services.initiatives_create_many(actor=sysadmin, rows=[good, dict(good, title="次")])
    assert [i.title for i in Initiative.objects.order_by("id")] == ["良い行", "次"]
    assert all(i.pk for i in made)


def test_the_index_holds_the_same_text_put_one_by_one_or_rebuilt(sysadmin, make_initiative,
                                                                 bureau, people):  # fmt: skip
    make_initiative(bureau, title="窓口の改革", value_pain="何度も来庁する必要がある",
                    organisation_change="", budget_change="")  # fmt: skip
    one_by_one = list(SearchEntry.objects.values_list("title", "body", "url"))
    index_rebuild(kinds=[services.SEARCH_KIND])
    assert list(SearchEntry.objects.values_list("title", "body", "url")) == one_by_one
    groups = site_search(people["secretariat"], "来庁する必要")
    assert [h.title for g in groups for h in g.hits] == ["窓口の改革"]
