"""The procedure inventory (手続の棚卸し): public reads of its public columns (through
procedures.public, the one place that decides what of it is public) and, for integrations
with the ``procedures`` permission, writes through the procedures app's services (each write
audited under the account): a procedure's own fields and a fiscal year's counts by channel
with its online status.

An account writes only the procedures of its bureau (the procedure's division belongs to
it); another bureau's procedure, or one no division carries out, is refused with 403 before
a service runs. It may also add the city's own procedures (市独自, as a row of the city's file
would) for a division of its bureau; the national survey's procedures come only from its
file (the inventory's import).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kyokan.apps.core.models import Department
from kyokan.apps.procedures import public
from kyokan.apps.procedures import services as procedure_services
from kyokan.apps.procedures.models import Procedure

from ..errors import invalid, refused
from ..models import ApiAccount, Scope
from ..pagination import page, reject_unknown
from ..schemas import (
    Page,
    ProcedureCountsIn,
    ProcedureCountsWritten,
    ProcedureFilters,
    ProcedureIdPath,
    ProcedureIn,
    ProcedureOut,
    ProcedurePatch,
    ProcedureWritten,
)
from . import READ_ERRORS, WRITE_ERRORS
from .writes import WRITE, _account, _check_bureau

router = Router(tags=["procedures"])

# Fields that always have a value: ``null`` is refused for them.
NOT_NULL = ("division_id", "legal_basis_kind", "national_priority", "priority_group", "note")
# Fields whose "not recorded" is the empty text.
BLANK_WHEN_NULL = ("seal", "fee_payment")


# --- public reads -------------------------------------------------------------------------


def _public_dict(row: dict) -> dict:
    return {
        "procedure_id": row["procedure_id"],
        "name": row["name"],
        "department_name": row["department__name"] or "",
        "law_name": row["law_name"],
        "article": row["article"],
        "online_status": row["online_status"],
        "online_status_label": public.online_status_label(row["online_status"]),
        "planned_online_year": row["planned_online_year"],
        "total_count": row["total_count"],
        "online_count": row["online_count"],
    }


@router.get("/procedures", response={200: Page[ProcedureOut], **READ_ERRORS}, url_name="procedures")
def list_procedures(request, filters: Query[ProcedureFilters]):
    """The city's procedures (those it carries out, and its own) in 手続ID order: legal basis,
    online status, planned year and the latest counted year's cases."""
    qs = public.public_procedures()
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(law_name__icontains=filters.q))
    if filters.online_status:
        qs = qs.filter(online_status=filters.online_status)
    if filters.bureau_id:
        bureau = filters.bureau_id
        qs = qs.filter(Q(department_id=bureau) | Q(department__parent_id=bureau))
    if filters.planned_online_year:
        qs = qs.filter(planned_online_year=filters.planned_online_year)
    return page(request, qs, filters, _public_dict)


@router.get(
    "/procedures/{procedure_id}", response={200: ProcedureOut, **READ_ERRORS}, url_name="procedure"
)
def get_procedure(request, procedure_id: ProcedureIdPath):
    reject_unknown(request)
    row = public.public_procedures().filter(procedure_id=procedure_id).first()
    if row is None:
        raise Http404
    return _public_dict(row)


# --- writes for integrations ------------------------------------------------------------------


def _procedure(account: ApiAccount, procedure_id: str) -> Procedure:
    """The procedure, locked, if it is the token's bureau's (403 otherwise)."""
    procedure = Procedure.objects.select_for_update().filter(procedure_id=procedure_id).first()
    if procedure is None:
        raise Http404
    department = (
        Department.objects.filter(pk=procedure.department_id).only("id", "parent_id").first()
        if procedure.department_id
        else None
    )
    _check_bureau(account, (department.parent_id or department.pk) if department else None)
    return procedure


def _division(account: ApiAccount, division_id: int) -> Department:
    division = Department.objects.filter(
        pk=division_id,
        parent_id=account.department_id,
        kind=Department.Kind.DIVISION,
        is_active=True,
    ).first()
    if division is None:
        raise refused("body.division_id", _("Choose an active division of the token's bureau."))
    return division


def _new_division(account: ApiAccount, division_id: int) -> Department:
    """The division of a new procedure: another bureau's department is 403 (the procedure
    would be that bureau's), anything but an active division of the token's bureau 422."""
    department = Department.objects.filter(pk=division_id).only("id", "parent_id").first()
    if department is not None:
        _check_bureau(account, department.parent_id or department.pk)
    return _division(account, division_id)


def _written(procedure: Procedure) -> dict:
    return {
        name: getattr(procedure, name)
        for name in (
            "procedure_id", "name", "online_status", "counts_year", "total_count",
            "online_count", "offline_count", "counter_count", "mail_count", "legal_basis_kind",
            "seal", "signature_required", "attachment_count", "attachments_removed", "fee_yen",
            "fee_payment", "national_priority", "priority_group", "planned_online_year",
            "citizen_minutes", "updated_at",
        )
    } | {"division_id": procedure.department_id}  # fmt: skip


@router.post(
    "/procedures",
    response={201: ProcedureWritten, **WRITE_ERRORS},
    url_name="procedure_create",
    **WRITE,
)
def create_procedure(request, data: ProcedureIn):
    """Add one of the city's own procedures (市独自), carried out by a division of the token's
    bureau, with its legal basis, online status and the city's own fields. A 手続ID already in
    the inventory is refused (422). Its cases by fiscal year are then recorded with
    ``PUT /procedures/{procedure_id}/counts``. The procedure's public columns are shown on
    the portal and in the open data, like every procedure of the city's own file."""
    reject_unknown(request)
    account = _account(request, Scope.PROCEDURES)
    fields = data.model_dump()
    for name in (*BLANK_WHEN_NULL, "online_status"):
        if fields[name] is None:
            fields[name] = ""
    with transaction.atomic():
        division = _new_division(account, fields.pop("division_id"))
        procedure = procedure_services.procedure_create(
            actor=account.user, department=division, **fields
        )
    return Status(201, _written(procedure))


@router.patch(
    "/procedures/{procedure_id}",
    response={200: ProcedureWritten, **WRITE_ERRORS},
    url_name="procedure_update",
    **WRITE,
)
def update_procedure(request, procedure_id: ProcedureIdPath, data: ProcedurePatch):
    """Change the city's own fields sent (seal, signature, attachments, fee, planned online
    year, citizen minutes, division…) of a procedure of the token's bureau. The national
    survey's columns change only by import; the counts and the online status by fiscal year
    (``PUT …/counts``)."""
    reject_unknown(request)
    account = _account(request, Scope.PROCEDURES)
    changes = data.model_dump(exclude_unset=True)
    for name in NOT_NULL:
        if name in changes and changes[name] is None:
            raise invalid(f"body.{name}", "null", _("This field cannot be empty."))
    for name in BLANK_WHEN_NULL:
        if name in changes and changes[name] is None:
            changes[name] = ""
    with transaction.atomic():
        procedure = _procedure(account, procedure_id)
        if "division_id" in changes:
            changes["department"] = _division(account, changes.pop("division_id"))
        procedure_services.procedure_update(actor=account.user, procedure=procedure, **changes)
    procedure.refresh_from_db()
    return Status(200, _written(procedure))


@router.put(
    "/procedures/{procedure_id}/counts",
    response={200: ProcedureCountsWritten, **WRITE_ERRORS},
    url_name="procedure_counts_record",
    **WRITE,
)
def record_counts(request, procedure_id: ProcedureIdPath, data: ProcedureCountsIn):
    """Record (or correct) a fiscal year's cases by channel and online status of a procedure
    of the token's bureau. The latest year's are also the procedure's own (with 非オンライン
    手続件数 = total − online); an earlier year's fill only that year."""
    reject_unknown(request)
    account = _account(request, Scope.PROCEDURES)
    values = data.model_dump()
    counts = [values[k] for k in ("total_count", "online_count", "counter_count", "mail_count")]
    if values["online_status"] is None and all(c is None for c in counts):
        raise invalid("body", "missing", _("Send the online status or at least one count."))
    channels = sum(values[k] or 0 for k in ("online_count", "counter_count", "mail_count"))
    if values["total_count"] is not None and channels > values["total_count"]:
        raise refused(
            "body.total_count",
            _("The cases by channel (%(channels)s) exceed the total (%(total)s).")
            % {"channels": channels, "total": values["total_count"]},
        )
    with transaction.atomic():
        procedure = _procedure(account, procedure_id)
        # The service's rule: the latest counted year (or a later one) is the procedure's own.
        latest = procedure.counts_year is None or data.fiscal_year >= procedure.counts_year
        year = procedure_services.procedure_year_record(
            actor=account.user, procedure=procedure, **values
        )
    return Status(
        200,
        {
            "procedure_id": procedure.procedure_id,
            "fiscal_year": year.fiscal_year,
            "online_status": year.online_status,
            "total_count": year.total_count,
            "online_count": year.online_count,
            "counter_count": year.counter_count,
            "mail_count": year.mail_count,
            "latest": latest,
        },
    )
