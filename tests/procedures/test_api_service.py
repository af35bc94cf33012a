"""procedure_year_record: one fiscal year's counts by channel and online status of one
procedure (what the API's integrations send), by the import's rules, audited."""

import pytest
from django.core.exceptions import ValidationError

from kyokan.apps.core import services as core_services
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.procedures import services
from kyokan.apps.procedures.models import Procedure, ProcedureYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(people, sysadmin):
    for year in (2023, 2024, 2025):
        core_services.fiscal_year_create(actor=sysadmin, year=year)
    return Procedure.objects.create(
        procedure_id="P-1", name="転入届", department=people["staff"].department,
        is_municipal=True, online_status="2", total_count=90, online_count=0, offline_count=90,
        counts_year=2024,
    )  # fmt: skip


def _state(procedure) -> tuple:
    procedure.refresh_from_db()
    return procedure.counts_year, procedure.total_count, procedure.online_status


def test_the_latest_year_is_the_procedures_own_and_audited(procedure, secretariat):
    year = services.procedure_year_record(
        actor=secretariat, procedure=procedure, fiscal_year=2025, online_status="5",
        counter_count=70, mail_count=10, online_count=20,
    )  # fmt: skip
    assert (year.fiscal_year, year.online_status, year.total_count) == (2025, "5", 100)
    procedure.refresh_from_db()
    assert (procedure.counts_year, procedure.online_status) == (2025, "5")
    assert (procedure.total_count, procedure.online_count, procedure.offline_count) == (100, 20, 80)
    assert (procedure.counter_count, procedure.mail_count) == (70, 10)
    created = AuditEvent.objects.get(target_type="procedures.procedureyear")
    assert created.actor == secretariat and created.action == "create"
    assert created.after["total_count"] == 100 and "2025" in created.summary
    updated = AuditEvent.objects.filter(target_type="procedures.procedure").latest("id")
    assert updated.action == "update" and updated.actor == secretariat
    assert updated.before["online_status"] == "2" and updated.after["online_status"] == "5"


def test_an_earlier_year_fills_only_its_row(procedure, secretariat):
    services.procedure_year_record(
        actor=secretariat, procedure=procedure, fiscal_year=2023, total_count=80, online_count=0
    )
    procedure.refresh_from_db()
    assert _state(procedure) == (2024, 90, "2")
    row = ProcedureYear.objects.get(procedure=procedure, fiscal_year=2023)
    assert (row.total_count, row.online_status) == (80, "")  # not the procedure's status now
    assert not AuditEvent.objects.filter(target_type="procedures.procedure").exists()


def test_a_correction_replaces_the_years_counts_and_keeps_its_status(procedure, secretariat):
    record = services.procedure_year_record
    record(actor=secretariat, procedure=procedure, fiscal_year=2024, online_status="1",
           total_count=90, online_count=30, counter_count=60)  # fmt: skip
    record(actor=secretariat, procedure=procedure, fiscal_year=2024, total_count=95,
           online_count=35)  # fmt: skip
    row = ProcedureYear.objects.get(procedure=procedure, fiscal_year=2024)
    assert (row.online_status, row.total_count, row.online_count, row.counter_count) == (
        "1",
        95,
        35,
        None,
    )
    procedure.refresh_from_db()
    assert (procedure.online_status, procedure.offline_count, procedure.counter_count) == (
        "1",
        60,
        None,
    )
    events = AuditEvent.objects.filter(target_type="procedures.procedureyear")
    assert [e.action for e in events.order_by("id")] == ["create", "update"]
    # The same values again change nothing and record nothing.
    before = AuditEvent.objects.count()
    record(actor=secretariat, procedure=procedure, fiscal_year=2024, total_count=95,
           online_count=35)  # fmt: skip
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"fiscal_year": 2030, "total_count": 1}, "fiscal_year"),  # not the city's fiscal year
        ({"fiscal_year": 2025, "total_count": 10, "online_count": 11}, "online_count"),
        ({"fiscal_year": 2025, "online_status": "9"}, "online_status"),
        ({"fiscal_year": 2025, "total_count": 10**10 + 1}, "total_count"),
        ({"fiscal_year": 2025, "mail_count": -1}, "mail_count"),
    ],
)
def test_refusals_change_nothing(procedure, secretariat, fields, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.procedure_year_record(actor=secretariat, procedure=procedure, **fields)
    assert field in caught.value.message_dict
    procedure.refresh_from_db()
    assert _state(procedure) == (2024, 90, "2")
    assert not ProcedureYear.objects.exists() and AuditEvent.objects.count() == before


def test_the_online_status_alone(procedure, secretariat):
    services.procedure_year_record(
        actor=secretariat, procedure=procedure, fiscal_year=2025, online_status="1"
    )
    procedure.refresh_from_db()
    # The status is the procedure's now; its counts stay those of the year they were counted.
    assert _state(procedure) == (2024, 90, "1")
