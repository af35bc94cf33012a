"""Analysis figures on a small hand-checked set, Japanese search, the redesign feeding the
initiative's value, permissions per role, and query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kyokan.apps.procedures import importing, selectors, services
from kyokan.apps.procedures.models import Procedure
from tests.conftest import ALL_VIEWERS

from .conftest import national_file, national_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(people):
    rows = [
        national_row(1, "転入届", **{"オンライン化の実施状況": "1 実施済", "総手続件数": "100",
                                   "オンライン手続件数": "60", "非オンライン手続件数": "40"}),
        national_row(2, "マイナンバーカード交付申請", **{"総手続件数": "50", "オンライン手続件数": "0",  # noqa: E501
                                                  "非オンライン手続件数": "50"}),
        national_row(3, "適用除外の手続", **{"オンライン化の実施状況": "3 適用除外",
                                       "総手続件数": "10", "非オンライン手続件数": "10"}),
        national_row(4, "児童手当の認定請求", **{"オンライン化の実施状況": "1 実施済",
                                          "総手続件数": "40", "オンライン手続件数": "40",
                                          "非オンライン手続件数": "0",
                                          "申請時に添付させる書類": "健康保険証の写し"}),
    ]  # fmt: skip
    importing.run(national_file(rows), actor=None, fiscal_year=2024)
    division = people["staff"].department
    Procedure.objects.filter(procedure_id__in=["1", "2"]).update(department=division)
    Procedure.objects.filter(procedure_id="2").update(attachment_count=2, citizen_minutes=None)
    return Procedure.objects.order_by("procedure_id")


def test_online_rates_by_procedures_and_by_cases(inventory):
    t = selectors.totals(inventory)
    # 2 online of 3 not exempt; cases 100 of 200.
    assert (t.n, t.n_online, t.n_exempt, t.rate_procedures) == (4, 2, 1, 66.7)
    assert (t.cases, t.cases_online, t.rate_cases) == (200, 100, 50.0)
    rows = {r.label: r for r in selectors.by_department(inventory, unassigned_label="-")}
    # Unassigned: 3 (exempt) and 4 (online): 1 of 1 not exempt; cases 40 of 50.
    assert (rows["-"].n, rows["-"].rate_procedures, rows["-"].rate_cases) == (2, 100.0, 80.0)
    division = next(r for label, r in rows.items() if label != "-")
    assert (division.n, division.rate_procedures, division.rate_cases) == (2, 50.0, 40.0)
    events = {r.label: r for r in selectors.by_life_event(inventory)}
    assert events["引越し"].n == 4


def test_bpr_priority_with_its_working(inventory):
    ranked = selectors.with_burden(selectors.bpr_priority(inventory))
    # 2: 50 paper cases × (30 + 15 seal + 2 × 10) = 3250; 1: 40 × 45 = 1800; 3: 10 × 45 = 450.
    assert [(p.procedure_id, p.score) for p in ranked] == [("2", 3250), ("1", 1800), ("3", 450)]
    assert (
        ranked[0].burden_working.attachment_minutes == 20 and not ranked[0].burden_working.measured
    )


def test_japanese_search_partial_kana_and_width(inventory):
    def found(q):
        return sorted(selectors.procedures(q=q).values_list("procedure_id", flat=True))

    assert found("まいなんばー") == ["2"]  # hiragana finds katakana
    assert found("ﾏｲﾅﾝﾊﾞｰ") == ["2"]  # half-width katakana
    assert found("児童手当") == ["4"]
    assert found("保険証") == ["4"]  # the attachments
    assert found("住民基本台帳") == ["1", "2", "3", "4"]  # the legal basis


def _redesigned(inventory, people):
    """Procedure 1 (100 cases a year) redesigned: the citizen's 60 minutes become 10."""
    p = inventory.get(procedure_id="1")
    step = {"who": "citizen", "channel": "counter"}
    services.redesign_save(
        actor=people["secretariat"], procedure=p, summary="",
        current=[{**step, "what": "来庁", "minutes": 40}, {**step, "what": "記入", "minutes": 20}],
        redesigned=[{**step, "what": "オンライン", "channel": "online", "minutes": 10}],
    )  # fmt: skip
    return p


def _initiative(people, **figure):
    from kyokan.apps.portfolio.models import Initiative
    from tests.core.test_url_access import _portfolio_with_everything

    initiative = _portfolio_with_everything(people)["initiative"]
    Initiative.objects.filter(pk=initiative.pk).update(**figure)
    return Initiative.objects.get(pk=initiative.pk)


def _citizen_hours(initiative):
    from kyokan.apps.portfolio import selectors as ps

    return ps.working_of(initiative).expected.citizen_hours


def test_redesign_gives_the_value_of_an_initiative_without_its_own_figure(inventory, people):
    from fractions import Fraction

    p = _redesigned(inventory, people)
    initiative = _initiative(people, cases_per_year=0, citizen_minutes_saved_per_case=0)
    services.initiative_link_add(actor=people["secretariat"], procedure=p, initiative=initiative)
    assert _citizen_hours(initiative) == Fraction(100 * 50, 60)
    assert initiative.contributed_citizen_minutes == 100 * 50
    assert [c.counted for c in initiative.value_contributions] == [True]


def test_the_initiative_own_figure_stands_unless_the_link_is_separate(inventory, people, client_as):
    """No double count: the initiative's own cases × minutes already describe the procedure
    unless the link says otherwise; the redesign is shown, not added."""
    from fractions import Fraction

    p = _redesigned(inventory, people)
    initiative = _initiative(people, cases_per_year=100, citizen_minutes_saved_per_case=50)
    link = services.initiative_link_add(
        actor=people["secretariat"], procedure=p, initiative=initiative
    )
    assert _citizen_hours(initiative) == Fraction(100 * 50, 60)  # once, not twice
    assert initiative.contributed_citizen_minutes == 0
    assert [c.counted for c in initiative.value_contributions] == [False]
    client = client_as("secretariat")
    page = client.get(reverse("portfolio:detail", args=[initiative.pk])).content.decode()
    assert "(100 × 50) ÷ 60" not in page and "100 × 50 ÷ 60" in page
    assert "取組自体の数値に含まれるため加算しません" in page

    # The procedure is not in the initiative's own figure: its saving is added.
    client.post(
        reverse("procedures:link_edit", args=[link.pk]),
        {"note": "別の手続", "counts_separately": "on"},
    )
    link.refresh_from_db()
    assert link.counts_separately and link.note == "別の手続"
    from kyokan.apps.portfolio.models import Initiative

    initiative = Initiative.objects.get(pk=initiative.pk)
    assert _citizen_hours(initiative) == Fraction(100 * 50 + 100 * 50, 60)
    page = client.get(reverse("portfolio:detail", args=[initiative.pk])).content.decode()
    assert "(100 × 50 + 100 × 50) ÷ 60" in page


@pytest.mark.parametrize("viewer", ALL_VIEWERS)
def test_permissions_per_role(viewer, people, inventory):
    user = people.get(viewer)
    p = inventory.get(procedure_id="1")
    staff_like = {"secretariat", "hq_chief", "hq_deputy", "hq_member", "promoter", "staff",
                  "sysadmin"}  # fmt: skip
    if user is None:
        return
    assert user.has_perm("procedures.view_procedures") == (viewer in staff_like)
    assert user.has_perm("procedures.import_procedures") == (viewer == "secretariat")
    # The promoter's bureau owns the staff member's division in the test city?
    promoter_keeps = p.department.parent_id in {
        a.department_id for a in people["promoter"].role_assignments.all()
    } or p.department_id in {a.department_id for a in people["promoter"].role_assignments.all()}
    expected = viewer == "secretariat" or (viewer == "promoter" and promoter_keeps)
    assert user.has_perm("procedures.edit_procedure", p) == expected


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_data(client_as, inventory):
    client = client_as("secretariat")
    urls = [reverse("procedures:list"), reverse("procedures:analysis"), reverse("procedures:bpr"),
            reverse("procedures:progress"), reverse("core:home")]  # fmt: skip
    small = [_queries(client, u) for u in urls]
    rows = [national_row(100 + i, f"手続{i}", **{"手続が行われるイベント(個人)": f"イベント{i % 7}"})  # noqa: E501
            for i in range(120)]  # fmt: skip
    importing.run(national_file(rows), actor=None, fiscal_year=2025)
    large = [_queries(client, u) for u in urls]
    assert large == small
