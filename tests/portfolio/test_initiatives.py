"""Initiatives: levers never blank, bad numbers refused at the form and the service, the
strategy link that follows its section or is flagged, KPI targets within the initiative's
years and the achievement rule, the budget view and the DX取組方針 draft."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kyokan.apps.documents import services as ds
from kyokan.apps.documents.models import Version
from kyokan.apps.documents.services import SectionData
from kyokan.apps.portfolio import selectors, services
from kyokan.apps.portfolio.models import Initiative, Kpi, KpiActual, KpiTarget
from tests.documents.adoption import adopt

from .conftest import FY, initiative_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lever", ["rule_kind", "organisation_kind", "budget_kind"])
def test_a_lever_left_blank_is_refused(sysadmin, years, bureau, lever):
    with pytest.raises(ValidationError) as info:
        services.initiative_create(actor=sysadmin, **initiative_fields(bureau, **{lever: ""}))
    assert lever in info.value.message_dict
    assert not Initiative.objects.exists()


def test_a_lever_that_changes_must_say_what(sysadmin, years, bureau):
    with pytest.raises(ValidationError) as info:
        services.initiative_create(
            actor=sysadmin, **initiative_fields(bureau, rule_kind="regulation",
                                                organisation_kind="change")
        )  # fmt: skip
    assert {"rule_name", "organisation_change"} <= set(info.value.message_dict)


def test_stopping_needs_a_reason(sysadmin, make_initiative, bureau):
    initiative = make_initiative(bureau)
    with pytest.raises(ValidationError):
        services.initiative_set_status(actor=sysadmin, initiative=initiative, status="stopped")
    services.initiative_set_status(
        actor=sysadmin, initiative=initiative, status="stopped", reason="国の制度変更のため"
    )
    assert Initiative.objects.get().status == "stopped"


@pytest.mark.parametrize(
    ("field", "value"),
    [("initial_cost_yen", -1), ("running_cost_yen", 10**12 + 1), ("useful_life_years", 0)],
)
def test_absurd_numbers_are_refused_by_the_service(sysadmin, make_initiative, bureau, field,
                                                   value):  # fmt: skip
    initiative = make_initiative(bureau)
    with pytest.raises(ValidationError) as info:
        services.cost_value_save(actor=sysadmin, initiative=initiative, estimates={},
                                 **{field: value})  # fmt: skip
    assert field in info.value.message_dict


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("initial_cost_yen", "-5", "negative"),
        ("running_cost_yen", "1000000000001", "10^12"),
        ("useful_life_years", "0", "at least one year"),
        ("cases_per_year", "abc", "not a number"),
        # Decimal() took these; 1e1000000 then took a worker over 30 s to make an integer.
        ("initial_cost_yen", "1e1000000", "not a number"),
        ("running_cost_yen", "1_000", "not a number"),
        ("cases_per_year", "9" * 5000, "too large"),
    ],
)
def test_absurd_numbers_are_refused_by_the_form(client_as, make_initiative, bureau, field,
                                                value, message, settings):  # fmt: skip
    initiative = make_initiative(bureau)
    client = client_as("promoter")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("portfolio:cost_value", args=[initiative.pk]), {field: value},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 200
    with translation.override("en"):  # the messages are lazy: read them in the page's language
        errors = " ".join(response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower()


def test_the_cost_value_form_accepts_full_width_digits_and_yen(client_as, make_initiative,
                                                                 bureau):  # fmt: skip
    initiative = make_initiative(bureau)
    response = client_as("promoter").post(
        reverse("portfolio:cost_value", args=[initiative.pk]),
        {"initial_cost_yen": "１，０００，０００円", "running_cost_yen": "200000",
         "cases_per_year": "1000", "cases_per_year__low": "500", "cases_per_year__high": "2000"},
    )  # fmt: skip
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.initial_cost_yen == 1_000_000
    assert {e.input: (e.low, e.high) for e in initiative.estimates.all()} == {
        "cases_per_year": (500, 2000)
    }
    page = client_as("staff").get(initiative.get_absolute_url()).content.decode()
    # The working shows every input and the formula with the numbers.
    assert "1,000,000 ÷ 5" in page and "1,000 × 0 ÷ 60" in page


def _strategy(sysadmin):
    document = ds.document_create(actor=sysadmin, kind="strategy", title="デジタル強靱化戦略")
    version = ds.version_create(
        actor=sysadmin, document=document, label="令和3年度版",
        sections=[SectionData("施策の柱", "", 0, "pillar"),
                  SectionData("行政手続のオンライン化", "電子申請を拡大する。", 1, "measure"),
                  SectionData("業務のデジタル化", "RPA", 1, "measure")],
    )  # fmt: skip
    adopt(version, actor=sysadmin)
    return version


def test_the_strategy_link_follows_or_is_flagged(sysadmin, make_initiative, bureau):
    original = _strategy(sysadmin)
    online, digital = (original.sections.get(heading=h) for h in ("行政手続のオンライン化",
                                                                   "業務のデジタル化"))  # fmt: skip
    initiative = make_initiative(bureau)
    services.initiative_update(actor=sysadmin, initiative=initiative, sections=[online, digital])
    assert {s.state for s in selectors.strategy_link_statuses(initiative.strategy_links.all())} == {
        "ok"
    }
    revision = ds.version_revise(actor=sysadmin, version=original, label="改定版")
    parts = {s.heading: s for s in revision.sections.all()}
    section = parts["行政手続のオンライン化"]
    ds.section_update(actor=sysadmin, section=section, expected_revision=section.revision,
                      body="市民起点で手続を再設計する。")  # fmt: skip
    ds.section_remove(actor=sysadmin, section=parts["業務のデジタル化"])
    # Not adopted yet: the links still point at the adopted original.
    assert {s.state for s in selectors.strategy_link_statuses(initiative.strategy_links.all())} == {
        "ok"
    }
    adopt(revision, actor=sysadmin)
    states = {s.link.label: s.state for s in selectors.strategy_link_statuses(
        initiative.strategy_links.all())}  # fmt: skip
    assert states == {"行政手続のオンライン化": "revised", "業務のデジタル化": "removed"}
    link = initiative.strategy_links.get(label="行政手続のオンライン化")
    status = selectors.strategy_link_statuses([link])[0]
    services.strategy_link_confirm(actor=sysadmin, link=link, section=status.section)
    assert selectors.strategy_link_statuses([link])[0].state == "ok"
    assert Version.objects.get(pk=original.pk).state == "superseded"


def test_a_kpi_target_outside_the_initiatives_years_is_refused(sysadmin, make_initiative,
                                                               bureau):  # fmt: skip
    initiative = make_initiative(bureau)  # FY-1 … FY+1
    with pytest.raises(ValidationError) as info:
        services.kpi_create(
            actor=sysadmin, initiative=initiative, name="件数", unit="件", direction="up",
            baseline=Decimal(0), baseline_year=FY - 1, targets={FY + 3: Decimal(10)},
        )  # fmt: skip
    assert "targets" in info.value.message_dict
    assert not Kpi.objects.exists() and not KpiTarget.objects.exists()


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "quarter", "actual", "state"),
    [
        ("up", 10, 50, 2, 30, "on_track"),  # half the way by the end of Q2: 20/40 = 0.5 ≥ 0.5
        ("up", 10, 50, 2, 25, "behind"),  # 15/40 = 0.375 < 0.5
        ("up", 10, 50, 1, 50, "achieved"),
        ("down", 100, 60, 3, 70, "on_track"),  # 30/40 = 0.75 ≥ 0.75
        ("down", 100, 60, 0, 65, "behind"),  # a year's actual must meet the target
        ("down", 100, 60, 4, 60, "achieved"),
    ],
)
def test_the_kpi_achievement_rule(sysadmin, make_initiative, bureau, direction, baseline,
                                  target, quarter, actual, state):  # fmt: skip
    initiative = make_initiative(bureau)
    kpi = services.kpi_create(
        actor=sysadmin, initiative=initiative, name="指標", unit="件", direction=direction,
        baseline=Decimal(baseline), baseline_year=FY - 1, targets={FY: Decimal(target)},
    )  # fmt: skip
    KpiActual.objects.create(kpi=kpi, fiscal_year=FY, quarter=quarter, value=Decimal(actual))
    assert selectors.kpi_status(kpi, FY).state == state
    goal = services.goal_create(actor=sysadmin, fiscal_year=FY, title="重点目標", kpis=[kpi])
    assert selectors.goals(FY)[0].state == state and goal.pk


def test_the_budget_view_by_bureau_and_pillar_with_the_change(sysadmin, make_initiative, bureau,
                                                              other_bureau):  # fmt: skip
    a, b = make_initiative(bureau), make_initiative(other_bureau, title="別の取組")
    services.budget_set(actor=sysadmin, initiative=a, fiscal_year=FY - 1, requested_yen=1_000_000)
    services.budget_set(actor=sysadmin, initiative=a, fiscal_year=FY, requested_yen=1_500_000,
                        approved_yen=1_200_000, executed_yen=300_000)  # fmt: skip
    services.budget_set(actor=sysadmin, initiative=b, fiscal_year=FY, requested_yen=500_000)
    with pytest.raises(ValidationError):
        services.budget_set(actor=sysadmin, initiative=b, fiscal_year=FY + 3, requested_yen=1)
    with pytest.raises(ValidationError):
        services.budget_set(actor=sysadmin, initiative=b, fiscal_year=FY, requested_yen=10**12 + 1)
    view = selectors.budget_view(FY)
    rows = {r["label"]: r for r in view["by_bureau"]}
    assert rows[bureau.name]["requested_yen"] == 1_500_000
    # 1,500,000 − 1,000,000 = +500,000, +50 %
    assert rows[bureau.name]["change"] == {"diff": 500_000, "rate": 0.5}
    assert rows[other_bureau.name]["change"] == {"diff": None, "rate": None}
    assert view["totals"]["requested_yen"] == 2_000_000
    assert view["totals"]["change"]["diff"] == 1_000_000


def test_the_policy_draft_is_a_new_version_each_time(client_as, sysadmin, people,
                                                     make_initiative, bureau):  # fmt: skip
    make_initiative(bureau, rule_kind="regulation", rule_name="押印規則")
    client = client_as("secretariat")
    response = client.post(reverse("portfolio:policy"), {"fiscal_year": FY})
    first = Version.objects.get(document__kind="policy")
    assert response["Location"] == reverse("documents:version", args=[first.pk])
    headings = list(first.sections.order_by("path").values_list("heading", flat=True))
    assert headings[:3] == ["目的", "重点目標", "施策の柱ごとの取組"]
    assert {"必要な予算", "期待される価値", "スケジュール"} <= set(headings)
    assert "押印規則" in "".join(first.sections.values_list("body", flat=True))
    adopt(first, actor=sysadmin)
    client.post(reverse("portfolio:policy"), {"fiscal_year": FY})
    versions = Version.objects.filter(document__kind="policy").order_by("number")
    assert [v.state for v in versions] == ["adopted", "draft"]
    assert (
        client_as("promoter").post(reverse("portfolio:policy"), {"fiscal_year": FY}).status_code
        == 403
    )
