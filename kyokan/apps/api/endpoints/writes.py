"""Writes for integrations (token per system account): initiatives, progress reports and
KPI actuals, through the portfolio's services (each write audited under the account).

An account acts only for its bureau and only with the permissions it was given; anything
else is refused with 403 before a service runs. A refusal by a service (a closed quarter,
a fiscal year the city does not have…) is a 422 and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Status

from kyokan.apps.core.models import Department
from kyokan.apps.portfolio import services as portfolio_services
from kyokan.apps.portfolio.models import Initiative, Kpi

from ..auth import token_auth
from ..errors import ApiError, invalid, refused
from ..models import ApiAccount, Scope
from ..pagination import reject_unknown
from ..schemas import (
    InitiativeIn,
    InitiativePatch,
    InitiativeWritten,
    KpiActualIn,
    KpiActualWritten,
    PathId,
    ReportIn,
    ReportWritten,
)
from . import WRITE_ERRORS, portfolio

# The same router as the reads: a path (e.g. /initiatives) is one Django URL whose methods
# are shared between reading (public) and writing (token) operations.
router = portfolio.router
WRITE = {"auth": token_auth, "tags": ["integrations"]}


def _account(request, scope: str | None = None) -> ApiAccount:
    account: ApiAccount = request.auth
    if scope is not None and not account.has_scope(scope):
        raise PermissionDenied(
            _("This token does not have the permission “%(scope)s”. Nothing was changed.")
            % {"scope": Scope(scope).label}
        )
    return account


def _check_bureau(account: ApiAccount, bureau_id: int) -> None:
    if bureau_id != account.department_id:
        raise PermissionDenied(
            _(
                "This belongs to another bureau: this token acts for %(bureau)s only. "
                "Nothing was changed."
            )
            % {"bureau": account.department.name}
        )


def _division(account: ApiAccount, division_id: int | None) -> Department | None:
    if division_id is None:
        return None
    division = Department.objects.filter(pk=division_id).first()
    if division is None or division.parent_id != account.department_id:
        raise refused("body.division_id", _("The division must belong to the token's bureau."))
    return division


def _initiative(account: ApiAccount, initiative_id: int) -> Initiative:
    initiative = Initiative.objects.select_for_update().filter(pk=initiative_id).first()
    if initiative is None:
        raise Http404
    _check_bureau(account, initiative.bureau_id)
    return initiative


def _written(initiative: Initiative) -> dict:
    return {
        name: getattr(initiative, name)
        for name in (
            "id", "title", "bureau_id", "division_id", "fiscal_year_start", "fiscal_year_end",
            "status", "scope", "dx", "is_public", "updated_at",
        )
    }  # fmt: skip


@router.post(
    "/initiatives",
    response={201: InitiativeWritten, **WRITE_ERRORS},
    url_name="initiative_create",
    **WRITE,
)
def create_initiative(request, data: InitiativeIn):
    """Create an initiative of the token's bureau (never public: the secretariat decides)."""
    reject_unknown(request)
    account = _account(request, Scope.INITIATIVES)
    fields = data.model_dump()
    with transaction.atomic():
        fields["division"] = _division(account, fields.pop("division_id"))
        initiative = portfolio_services.initiative_create(
            actor=account.user, bureau=account.department, **fields
        )
    return Status(201, _written(initiative))


@router.patch(
    "/initiatives/{initiative_id}",
    response={200: InitiativeWritten, **WRITE_ERRORS},
    url_name="initiative_update",
    **WRITE,
)
def update_initiative(request, initiative_id: PathId, data: InitiativePatch):
    """Change the fields sent (only an initiative of the token's bureau)."""
    reject_unknown(request)
    account = _account(request, Scope.INITIATIVES)
    changes = data.model_dump(exclude_unset=True)
    with transaction.atomic():
        initiative = _initiative(account, initiative_id)
        if "division_id" in changes:
            changes["division"] = _division(account, changes.pop("division_id"))
        for name in list(changes):
            if changes[name] is None and name not in ("division", "useful_life_years"):
                raise invalid(f"body.{name}", "null", _("This field cannot be empty."))
        portfolio_services.initiative_update(actor=account.user, initiative=initiative, **changes)
    initiative.refresh_from_db()
    return Status(200, _written(initiative))


@router.post(
    "/initiatives/{initiative_id}/reports",
    response={201: ReportWritten, **WRITE_ERRORS},
    url_name="report_create",
    **WRITE,
)
def submit_report(request, initiative_id: PathId, data: ReportIn):
    """Submit a quarter's progress report (with KPI actuals of the quarter), or send a
    returned one again. A closed or future quarter is refused."""
    reject_unknown(request)
    account = _account(request, Scope.REPORTS)
    fields = data.model_dump(exclude={"actuals"})
    with transaction.atomic():
        initiative = _initiative(account, initiative_id)
        kpis = {k.pk: k for k in Kpi.objects.filter(initiative=initiative)}
        actuals = {}
        for n, actual in enumerate(data.actuals):
            kpi = kpis.get(actual.kpi_id)
            if kpi is None:
                raise ApiError(
                    422,
                    "refused",
                    _("The change was refused. Nothing was changed."),
                    details=[
                        {
                            "field": f"body.actuals.{n}.kpi_id",
                            "code": "invalid",
                            "message": _("This KPI is not one of the initiative's."),
                        }
                    ],
                )
            actuals[kpi] = (actual.value, actual.source)
        report = portfolio_services.report_submit(
            actor=account.user, initiative=initiative, actuals=actuals, **fields
        )
    return Status(
        201,
        {
            "id": report.pk,
            "initiative_id": report.initiative_id,
            "fiscal_year": report.fiscal_year,
            "quarter": report.quarter,
            "percent_done": report.percent_done,
            "health": report.health,
            "state": report.state,
        },
    )


@router.put(
    "/kpis/{kpi_id}/actuals",
    response={200: KpiActualWritten, **WRITE_ERRORS},
    url_name="kpi_actual_record",
    **WRITE,
)
def record_kpi_actual(request, kpi_id: PathId, data: KpiActualIn):
    """Record (or correct) a KPI's actual for a fiscal year (quarter 0) or a quarter."""
    reject_unknown(request)
    account = _account(request, Scope.KPI_ACTUALS)
    with transaction.atomic():
        kpi = Kpi.objects.select_related("initiative").filter(pk=kpi_id).first()
        if kpi is None:
            raise Http404
        _check_bureau(account, kpi.initiative.bureau_id)
        actual = portfolio_services.kpi_actual_record(
            actor=account.user, kpi=kpi, **data.model_dump()
        )
    return Status(
        200,
        {
            "kpi_id": actual.kpi_id,
            "fiscal_year": actual.fiscal_year,
            "quarter": actual.quarter,
            "value": actual.value,
            "source": actual.source,
        },
    )
