"""Fixtures of the portfolio tests: fiscal years around today, a bureau with a division
whose 推進員 is ``people["promoter"]``, and a helper that makes initiatives."""

import pytest
from django.utils import timezone

from kyokan.apps.core import services as core_services
from kyokan.apps.core.japanese_dates import fiscal_year_of
from kyokan.apps.portfolio import services

FY = fiscal_year_of(timezone.localdate())


@pytest.fixture
def years(sysadmin):
    for year in range(FY - 3, FY + 4):
        core_services.fiscal_year_create(actor=sysadmin, year=year)
    return list(range(FY - 3, FY + 4))


@pytest.fixture
def bureau(people):
    """The bureau the promoter works for (their assignment's department)."""
    return people["promoter"].role_assignments.get(role="promoter").department


@pytest.fixture
def other_bureau(people):
    return people["staff"].department.parent


LEVERS_NONE = {"rule_kind": "none", "organisation_kind": "none", "budget_kind": "none"}


def initiative_fields(bureau, **overrides):
    fields = {
        "title": "電子申請の拡充",
        "bureau": bureau,
        "fiscal_year_start": FY - 1,
        "fiscal_year_end": FY + 1,
        "status": "active",
        "scope": "kaizen",
        "dx": "D",
        **LEVERS_NONE,
        "value_who": "転入者",
        "value_change": "来庁せずに手続できる",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_initiative(sysadmin, years):
    def make(bureau, **overrides):
        return services.initiative_create(actor=sysadmin, **initiative_fields(bureau, **overrides))

    return make
