"""Creation forms of the portfolio are idempotent: a double click (or a resent POST)
created two initiatives, priority goals, roadmap steps or milestones; the second POST of a
form now goes where the first went and creates nothing."""

from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.portfolio.models import Initiative, Milestone, PriorityGoal, VisionStep
from tests.conftest import submit_twice
from tests.portfolio.conftest import FY


def test_an_initiative_sent_twice_is_created_once(client_as, years, bureau):
    data = {
        "title": "電子申請の拡充", "bureau": bureau.pk, "fiscal_year_start": FY,
        "fiscal_year_end": FY, "status": "active", "scope": "kaizen", "dx": "D",
        "rule_kind": "none", "organisation_kind": "none", "budget_kind": "none",
        "value_who": "転入者", "value_change": "来庁せずに手続できる",
    }  # fmt: skip
    submit_twice(client_as(Role.PROMOTER), reverse("portfolio:create"), data)
    assert Initiative.objects.count() == 1


def test_a_goal_and_a_step_sent_twice_are_created_once(client_as, years):
    client = client_as(Role.SECRETARIAT)
    submit_twice(client, reverse("portfolio:goal_create"), {"fiscal_year": FY, "title": "重点目標"})
    assert PriorityGoal.objects.count() == 1
    data = {"kind": VisionStep.Kind.STEP, "name": "将来像ステップ1", "fiscal_year": FY}
    submit_twice(client, reverse("portfolio:step_create"), data)
    assert VisionStep.objects.count() == 1


def test_a_milestone_sent_twice_is_created_once(client_as, make_initiative, bureau):
    initiative = make_initiative(bureau)
    url = reverse("portfolio:milestone_create", args=[initiative.pk])
    submit_twice(client_as(Role.PROMOTER), url, {"title": "仕様決定", "due_on": f"{FY}-10-01"})
    assert Milestone.objects.count() == 1
