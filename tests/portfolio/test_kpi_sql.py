"""The KPI rule computed by the database (selectors.with_kpi_status) agrees with the rule as
written in KPI_RULE, re-implemented here by hand with exact decimals; the off-target list
is filtered, counted and paged by the database (analytics page and home panel)."""

import re
from decimal import Decimal
from itertools import product

import pytest
from django.urls import reverse

from kyokan.apps.portfolio import selectors, services
from kyokan.apps.portfolio.models import Kpi, KpiActual, KpiTarget

from .conftest import FY

pytestmark = pytest.mark.django_db


def by_hand(direction, baseline, target, actuals):
    """KPI_RULE written out: ``actuals`` maps quarter (0 = the year) → value."""
    if target is None:
        return "no_target"
    if not actuals:
        return "no_data"
    quarter = 0 if 0 in actuals else max(actuals)
    latest = actuals[quarter]
    if (latest >= target) if direction == "up" else (latest <= target):
        return "achieved"
    share_gone = Decimal(1) if quarter == 0 else Decimal(quarter) / 4
    span = target - baseline
    if span == 0:
        return "behind"
    return "on_track" if (latest - baseline) / span >= share_gone else "behind"


D = Decimal
CASES = [
    # direction, baseline, target, {quarter: actual}
    ("up", D("0.10"), D("1.10"), {1: D("0.35")}),  # 0.25 of the way after ¼: on track
    ("up", D("0.10"), D("1.10"), {1: D("0.34")}),  # just short
    ("down", D("1.10"), D("0.10"), {3: D("0.35")}),  # 0.75 after ¾: on track
    ("down", D("1.10"), D("0.10"), {3: D("0.36")}),
    ("up", D(5), D(5), {2: D(4)}),  # no way to go and below it: behind
    ("up", D(5), D(5), {2: D(5)}),  # achieved
    ("up", D(10), D(50), {0: D(45), 4: D(60)}),  # the year's own actual counts, not Q4's
    ("up", D(10), D(50), {1: D(12), 3: D(45)}),  # the latest quarter counts
    ("down", D(100), D(60), {}),
    ("up", D(0), None, {1: D(3)}),
    ("up", D("-20.5"), D("-0.5"), {2: D("-10.5")}),  # negative values, half way at Q2
    ("down", D("9999999999.99"), D(0), {4: D("0.01")}),  # large values
]


def _make(sysadmin, initiative, n, direction, baseline, target, actuals):
    kpi = Kpi.objects.create(
        initiative=initiative, name=f"指標{n}", unit="件", direction=direction,
        baseline=baseline, baseline_year=FY - 1,
    )  # fmt: skip
    if target is not None:
        KpiTarget.objects.create(kpi=kpi, fiscal_year=FY, value=target)
    KpiTarget.objects.create(kpi=kpi, fiscal_year=FY + 1, value=D(1))  # another year's
    for quarter, value in actuals.items():
        KpiActual.objects.create(kpi=kpi, fiscal_year=FY, quarter=quarter, value=value)
    KpiActual.objects.create(kpi=kpi, fiscal_year=FY - 1, quarter=0, value=D(10**6))
    return kpi


def test_the_database_applies_the_rule_as_written(sysadmin, make_initiative, bureau):
    initiative = make_initiative(bureau)
    cases = list(CASES)
    # And a grid around every boundary, both directions.
    for direction, actual, quarter in product(("up", "down"), range(0, 41, 5), (0, 1, 2, 3, 4)):
        baseline, target = (D(0), D(40)) if direction == "up" else (D(40), D(0))
        cases.append((direction, baseline, target, {quarter: D(actual)}))
    kpis = [_make(sysadmin, initiative, n, *case) for n, case in enumerate(cases)]
    annotated = {k.pk: k for k in selectors.with_kpi_status(Kpi.objects.all(), FY)}
    for kpi, case in zip(kpis, cases, strict=True):
        expected = by_hand(*case)
        assert annotated[kpi.pk].fy_state == expected, case
        status = selectors.kpi_status(annotated[kpi.pk], FY)
        assert status.state == expected
        # Read without the annotations: one query of its own, the same answer.
        assert selectors.kpi_status(kpi, FY).state == expected
    assert sum(by_hand(*case) == "on_track" for case in cases) > 5
    assert sum(by_hand(*case) == "behind" for case in cases) > 5


def test_the_latest_actual_and_its_quarter_are_read(sysadmin, make_initiative, bureau):
    initiative = make_initiative(bureau)
    kpi = _make(sysadmin, initiative, 1, "up", D(0), D(100), {1: D(10), 3: D(30)})
    status = selectors.kpi_status(kpi, FY)
    assert (status.actual, status.quarter, status.target) == (D(30), 3, D(100))
    assert status.progress == pytest.approx(0.3)


def _behind_kpis(sysadmin, initiative, n):
    for k in range(n):
        kpi = services.kpi_create(
            actor=sysadmin, initiative=initiative, name=f"遅れ{k:02d}", unit="件",
            direction="up", baseline=D(0), baseline_year=FY - 1, targets={FY: D(100)},
        )  # fmt: skip
        services.kpi_actual_record(actor=sysadmin, kpi=kpi, fiscal_year=FY, quarter=2,
                                   value=D(1))  # fmt: skip


def test_the_analytics_page_shows_one_page_of_the_kpis_behind(sysadmin, make_initiative, bureau,
                                                             client_as, settings):  # fmt: skip
    settings.KYOKAN_PAGE_SIZE = 10
    initiative = make_initiative(bureau)
    _behind_kpis(sysadmin, initiative, 23)
    _make(sysadmin, initiative, 99, "up", D(0), D(100), {2: D(80)})  # on track: not listed
    assert selectors.kpis_off_target(FY).count() == 23
    client = client_as("secretariat")
    url = reverse("portfolio:analytics") + f"?fiscal_year={FY}"
    first = client.get(url).content.decode()
    assert len(re.findall(r"<th scope=\"row\">遅れ\d\d</th>", first)) == 10
    assert "遅れ00" in first and "遅れ10" not in first
    last = client.get(url + "&page=3").content.decode()
    assert len(re.findall(r"<th scope=\"row\">遅れ\d\d</th>", last)) == 3
    assert "遅れ22" in last and "指標99" not in last


def test_the_home_panel_counts_the_kpis_behind_without_listing_them_all(
    sysadmin, make_initiative, bureau, client_as
):
    _behind_kpis(sysadmin, make_initiative(bureau), 9)
    page = client_as("secretariat").get("/").content.decode()
    panel = page[page.index('id="panel-portfolio-kpis"') :]
    panel = panel[: panel.index("</section>")]
    assert '<span class="stat__value">9</span>' in panel
    assert panel.count("遅れ0") == 6
