"""The initiative and report pages offer each person the actions they may take on that
initiative (a 推進員 acts for their own bureau only; staff read), and the 推進員 of the
bureau is offered to correct a returned report."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.portfolio import periods, services

pytestmark = pytest.mark.django_db


def _actions(client, initiative) -> dict[str, bool]:
    page = client.get(reverse("portfolio:detail", args=[initiative.pk])).content.decode()
    return {
        "edit": f'href="{reverse("portfolio:edit", args=[initiative.pk])}"' in page,
        "kpi": f'href="{reverse("portfolio:kpi_create", args=[initiative.pk])}"' in page,
        "milestone": f'href="{reverse("portfolio:milestone_create", args=[initiative.pk])}"'
        in page,
        "report": f'href="{reverse("portfolio:report_create", args=[initiative.pk])}"' in page,
    }


@pytest.mark.parametrize(
    ("who", "mine", "allowed"),
    [("secretariat", True, True), ("promoter", True, True), ("promoter", False, False),
     ("staff", True, False), ("hq_member", True, False)],
)  # fmt: skip
def test_the_initiative_page_offers_only_what_the_person_may_do(
    client_as, make_initiative, bureau, other_bureau, who, mine, allowed
):
    initiative = make_initiative(bureau if mine else other_bureau)
    actions = _actions(client_as(who), initiative)
    assert actions == dict.fromkeys(actions, allowed)


def test_the_bureaus_promoter_is_offered_to_correct_a_returned_report(
    sysadmin, client_as, make_initiative, bureau
):
    initiative = make_initiative(bureau)
    fy, q = periods.quarter_of(timezone.localdate())
    report = services.report_submit(
        actor=sysadmin, initiative=initiative, fiscal_year=fy, quarter=q, percent_done=10,
        health="good", happened="実施",
    )  # fmt: skip
    services.report_review(actor=sysadmin, report=report, accept=False, comment="出典を記入")
    again = f'href="{reverse("portfolio:report_create", args=[initiative.pk])}"'
    url = reverse("portfolio:report", args=[report.pk])
    assert again in client_as("promoter").get(url).content.decode()
    assert again not in client_as("staff").get(url).content.decode()
