"""Writes of the procedure inventory: keyword-only, atomic, audited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyokan.apps.core.audit import audit_record, audited_create, audited_delete, audited_update
from kyokan.apps.core.models import AuditEvent, Department
from kyokan.apps.core.search import index_put
from kyokan.apps.core.validation import validate_fiscal_year

from . import codes, importing
from .models import (
    ColumnMapping,
    FeePayment,
    InitiativeLink,
    LegalBasisKind,
    LifeEvent,
    Origin,
    Procedure,
    ProcedureImport,
    ProcedureYear,
    Redesign,
    Seal,
    Step,
)

CITY_FIELDS = (
    "department", "legal_basis_kind", "counter_count", "mail_count", "seal",
    "signature_required", "attachment_count", "attachments_removed", "fee_yen", "fee_payment",
    "national_priority", "priority_group", "planned_online_year", "citizen_minutes", "note",
)  # fmt: skip
MAX_STEPS = 20
# What a procedure created by the city (not from the national file) may be given besides its
# 手続ID, name and division: its legal basis, online status and the city's own fields. Its
# counts are recorded by fiscal year afterwards (procedure_year_record).
CREATE_FIELDS = (
    "law_name", "article", "attachments", "online_status",
    *(f for f in CITY_FIELDS if f not in ("department", "counter_count", "mail_count")),
)  # fmt: skip
_CHOICES = {
    "legal_basis_kind": (LegalBasisKind.choices, importing.LEGAL_ALIASES),
    "seal": (Seal.choices, importing.SEAL_ALIASES),
    "fee_payment": (FeePayment.choices, None),
}


@transaction.atomic
def procedure_create(
    *, actor, procedure_id: str, name: str, department: Department | None, **fields
) -> Procedure:
    """Add one of the city's own procedures (origin 市独自) to the inventory, as a row of the
    city's file would be added by the import, with the import's rules: the 手続ID (NFKC;
    letters, digits and - _ . only, at most 20) not yet in the inventory, a name, an active
    division, the survey's code for the online status and the inventory's codes for the
    legal basis, seal and fee payment (their labels accepted too), the model's lengths and
    ranges. Every problem is a ValidationError by field, and then nothing is written."""
    unknown = set(fields) - set(CREATE_FIELDS)
    if unknown:
        raise ValueError(f"not a field of a new procedure: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    if not importing.normal(procedure_id or ""):
        errors["procedure_id"] = [_("Every procedure needs its 手続ID.")]
    else:
        try:
            procedure_id = importing._procedure_id(procedure_id)
        except importing.CellError as exc:
            errors["procedure_id"] = [str(exc)]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Every procedure needs its 手続名.")]
    if (
        department is None
        or department.kind != Department.Kind.DIVISION
        or not department.is_active
    ):
        errors["department"] = [_("Choose an active division that carries the procedure out.")]
    values = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    for key in ("online_status", *_CHOICES):
        if not values.get(key):
            continue
        try:
            if key == "online_status":
                values[key] = importing._code(values[key], codes.ONLINE_STATUS)
            else:
                values[key] = importing._choice(values[key], *_CHOICES[key])
        except importing.CellError as exc:
            errors[key] = [str(exc)]
    note = values.get("note") or ""
    limit = Procedure._meta.get_field("note").max_length  # a TextField: not in full_clean
    if len(note) > limit:
        errors["note"] = [
            _("The text is longer than %(limit)s characters (%(n)s).")
            % {"limit": limit, "n": len(note)}
        ]
    if "procedure_id" not in errors:
        existing = Procedure.objects.filter(procedure_id=procedure_id).only("name").first()
        if existing is not None:
            errors["procedure_id"] = [_duplicate_message(procedure_id, existing.name)]
    procedure = Procedure(
        procedure_id=procedure_id, name=name, department=department, origin=Origin.CITY,
        **{k: v for k, v in values.items() if k not in errors},
    )  # fmt: skip
    procedure.search_text = importing.search_text_of(
        {"name": name, "law_name": procedure.law_name, "article": procedure.article,
         "attachments": procedure.attachments}
    )  # fmt: skip
    try:  # the model's lengths and ranges, reported with the problems above at once
        procedure.full_clean(exclude=list(errors), validate_unique=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # another request may add the same 手続ID meanwhile
            audited_create(actor=actor, instance=procedure, summary=_("Procedure created"))
    except IntegrityError as exc:
        raise ValidationError({"procedure_id": _duplicate_message(procedure_id, "")}) from exc
    index_put(
        kind="procedures.procedure", object_id=procedure.pk, title=procedure.name,
        body="\n".join(x for x in (procedure.law_name, procedure.article,
                                    procedure.attachments) if x),
        url=reverse("procedures:detail", args=[procedure.pk]),
    )  # fmt: skip
    return procedure


def _duplicate_message(procedure_id: str, name: str) -> str:
    if name:
        return _("手続ID %(id)s is already in the inventory (%(name)s).") % {
            "id": procedure_id,
            "name": name[:100],
        }
    return _("手続ID %(id)s is already in the inventory.") % {"id": procedure_id}


@transaction.atomic
def procedure_update(*, actor, procedure: Procedure, life_events=None, **changes) -> bool:
    """Change the city's own fields of a procedure (and its life events)."""
    unknown = set(changes) - set(CITY_FIELDS)
    if unknown:
        raise ValueError(f"not a city field: {sorted(unknown)}")
    changed = audited_update(
        actor=actor, instance=procedure, changes=changes, summary=_("Procedure updated")
    )
    if life_events is not None:
        before = sorted(procedure.life_events.values_list("name", flat=True))
        after = sorted({e.name for e in life_events})
        if before != after:
            procedure.life_events.set(life_events)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=procedure,
                summary=_("Life events of the procedure changed"),
                before={"life_events": before},
                after={"life_events": after},
            )
            changed = True
    return changed


@transaction.atomic
def procedure_year_record(
    *, actor, procedure: Procedure, fiscal_year: int, online_status: str | None = None,
    total_count: int | None = None, online_count: int | None = None,
    counter_count: int | None = None, mail_count: int | None = None,
) -> ProcedureYear:  # fmt: skip
    """Record (or correct) one fiscal year's counts by channel and online status of a
    procedure, by the import's rules (one row of a city file, for one procedure):

    * the counts given replace the year's counts (a count not given is not known); without
      a total, the total is the sum of the channels given; the online cases never exceed it;
    * an online status not given keeps the year's (or, for a new latest year, the
      procedure's own);
    * the latest year's counts (and status) are also the procedure's, with 非オンライン手続件数
      = total − online; an earlier year only fills its own row.
    """
    try:
        validate_fiscal_year(fiscal_year)
    except ValidationError as exc:
        raise ValidationError({"fiscal_year": exc.messages}) from exc
    counts = {
        "total_count": total_count, "online_count": online_count,
        "counter_count": counter_count, "mail_count": mail_count,
    }  # fmt: skip
    channels = (counter_count, mail_count, online_count)
    if total_count is None and any(c is not None for c in channels):
        counts["total_count"] = sum(c or 0 for c in channels)
    total, online = counts["total_count"], counts["online_count"]
    if total is not None and online is not None and online > total:
        raise ValidationError(
            {
                "online_count": _("The online cases (%(online)s) exceed the total (%(total)s).")
                % {"online": online, "total": total}
            }
        )
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    latest = procedure.counts_year is None or fiscal_year >= procedure.counts_year
    row = ProcedureYear.objects.filter(procedure=procedure, fiscal_year=fiscal_year).first()
    if online_status is None:
        online_status = row.online_status if row else (procedure.online_status if latest else "")
    values = {"online_status": online_status, **counts}
    label = _("Counts by fiscal year")
    summary = f"{label} {fiscal_year}: {procedure.name[:100]}"
    if row is None:
        row = audited_create(
            actor=actor,
            instance=ProcedureYear(procedure=procedure, fiscal_year=fiscal_year, **values),
            summary=summary,
        )
    else:
        audited_update(actor=actor, instance=row, changes=values, summary=summary)
    if latest:
        changes = {"online_status": online_status}
        if any(v is not None for v in counts.values()):
            changes.update(counts)
            changes["offline_count"] = (
                total - online if total is not None and online is not None else None
            )
            changes["counts_year"] = fiscal_year
        audited_update(
            actor=actor, instance=procedure, changes=changes, summary=_("Procedure updated")
        )
    return row


@transaction.atomic
def life_event_get_or_create(*, actor, name: str) -> LifeEvent:
    name = name.strip()[:100]
    existing = LifeEvent.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return audited_create(actor=actor, instance=LifeEvent(name=name))


def _clean_steps(steps: list[dict], flow: str) -> list[Step]:
    if len(steps) > MAX_STEPS:
        raise ValidationError(_("At most %(n)s steps per flow.") % {"n": MAX_STEPS})
    result = []
    for order, data in enumerate(steps, 1):
        step = Step(flow=flow, order=order, **data)
        result.append(step)
    return result


@transaction.atomic
def redesign_save(
    *, actor, procedure: Procedure, summary: str, current: list[dict], redesigned: list[dict]
) -> Redesign:
    """Record the current and the redesigned flow (each a list of steps: who, what,
    channel, minutes), replacing what was recorded before."""
    current_steps = _clean_steps(current, Step.Flow.CURRENT)
    new_steps = _clean_steps(redesigned, Step.Flow.REDESIGNED)
    if not current_steps or not new_steps:
        raise ValidationError(_("Describe at least one step of each flow."))
    redesign = Redesign.objects.select_for_update().filter(procedure=procedure).first()
    before = None
    if redesign is None:
        redesign = Redesign.objects.create(procedure=procedure, summary=summary, updated_by=actor)
    else:
        before = _steps_snapshot(redesign)
        redesign.summary = summary
        redesign.updated_by = actor
        redesign.full_clean()
        redesign.save()
        redesign.steps.all().delete()
    for step in (*current_steps, *new_steps):
        step.redesign = redesign
        step.full_clean()
    Step.objects.bulk_create([*current_steps, *new_steps])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        target=redesign,
        summary=_("Redesign of %(name)s recorded") % {"name": procedure.name[:100]},
        before=before,
        after=_steps_snapshot(redesign),
    )
    return redesign


def _steps_snapshot(redesign: Redesign) -> dict:
    return {
        "summary": redesign.summary,
        "steps": [
            [s.flow, s.order, s.who, s.what, s.channel, s.minutes]
            for s in redesign.steps.order_by("flow", "order", "id")
        ],
    }


@transaction.atomic
def initiative_link_add(
    *, actor, procedure: Procedure, initiative, note: str = "", counts_separately: bool = False
) -> InitiativeLink:
    if InitiativeLink.objects.filter(procedure=procedure, initiative=initiative).exists():
        raise ValidationError(_("The procedure is already linked to this initiative."))
    return audited_create(
        actor=actor,
        instance=InitiativeLink(
            procedure=procedure,
            initiative=initiative,
            note=note[:300],
            counts_separately=bool(counts_separately),
        ),
        summary=_("Procedure linked to an initiative"),
    )


@transaction.atomic
def initiative_link_update(*, actor, link: InitiativeLink, note: str, counts_separately: bool):
    return audited_update(
        actor=actor,
        instance=link,
        changes={"note": note[:300], "counts_separately": bool(counts_separately)},
        summary=_("Link to an initiative changed"),
    )


@transaction.atomic
def initiative_link_remove(*, actor, link: InitiativeLink) -> None:
    audited_delete(actor=actor, instance=link, summary=_("Link to an initiative removed"))


# --- imports -------------------------------------------------------------------------------


@transaction.atomic
def mapping_save(*, actor, name: str, columns: dict[str, str]) -> ColumnMapping:
    """Keep a city file's column mapping (field → heading) for next year."""
    name = name.strip()[:100]
    if not name:
        raise ValidationError(_("Give the mapping a name."))
    columns = {k: str(v)[:200] for k, v in columns.items() if v}
    mapping = ColumnMapping.objects.filter(name=name).first()
    if mapping is None:
        return audited_create(actor=actor, instance=ColumnMapping(name=name, columns=columns))
    audited_update(actor=actor, instance=mapping, changes={"columns": columns})
    return mapping


@transaction.atomic
def import_start(
    *, actor, kind: str, data: bytes, filename: str, fiscal_year: int,
    municipal_only: bool = False, columns: dict | None = None, mapping_name: str = "",
    queue: bool = True,
) -> ProcedureImport:  # fmt: skip
    """Keep the file and queue its check (the dry run); the task worker runs it. (Queuing is
    technical state, like a kept upload: the import itself is audited when written.)"""
    importing.check_size(len(data))
    record = ProcedureImport.objects.create(
        owner=actor,
        kind=kind,
        municipal_only=municipal_only,
        fiscal_year=fiscal_year,
        filename=filename[:255],
        content=data,
        columns=columns or {},
        mapping_name=mapping_name[:100],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        status=ProcedureImport.Status.QUEUED if queue else ProcedureImport.Status.MAPPING,
    )
    if queue:
        _enqueue(record.pk)
    return record


@transaction.atomic
def import_remap(*, actor, record: ProcedureImport, columns: dict, mapping_name: str):
    """Set the city file's columns and queue its check (again)."""
    record = ProcedureImport.objects.select_for_update().get(pk=record.pk)
    if record.status not in (
        ProcedureImport.Status.MAPPING, ProcedureImport.Status.CHECKED,
        ProcedureImport.Status.REJECTED,
    ) or record.kind != ProcedureImport.Kind.CITY:  # fmt: skip
        raise ValidationError(_("This import can no longer be changed."))
    ProcedureImport.objects.filter(pk=record.pk).update(
        columns=columns, mapping_name=mapping_name[:100], status=ProcedureImport.Status.QUEUED,
        errors=[], error_count=0, message="", summary={}, progress=0.0,
    )  # fmt: skip
    _enqueue(record.pk)
    return record


@transaction.atomic
def import_confirm(*, actor, record: ProcedureImport) -> ProcedureImport:
    """Queue the write of a checked import (what the dry run showed)."""
    record = ProcedureImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ProcedureImport.Status.CHECKED:
        if record.confirmed:
            return record  # a double click: the write is already queued or done
        raise ValidationError(_("Only a checked import without problems can be imported."))
    ProcedureImport.objects.filter(pk=record.pk).update(
        status=ProcedureImport.Status.QUEUED, confirmed=True, progress=0.0
    )
    record.refresh_from_db()
    _enqueue(record.pk)
    return record


def _enqueue(pk: int) -> None:
    from .tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(pk))


def _mark(record: ProcedureImport, **fields) -> None:
    ProcedureImport.objects.filter(pk=record.pk).update(**fields)
    for name, value in fields.items():
        setattr(record, name, value)


def import_run(*, import_id: int) -> ProcedureImport:
    """The background part: check (the dry run) or, once confirmed, check again and write.
    Checking writes nothing; writing is all or nothing and audited (importing.apply)."""
    record = ProcedureImport.objects.select_related("owner").get(pk=import_id)
    if record.status not in (ProcedureImport.Status.QUEUED, ProcedureImport.Status.CHECKING):
        return record
    with translation.override(record.language or settings.LANGUAGE_CODE):
        _mark(record, status=ProcedureImport.Status.CHECKING, progress=0.1)
        try:
            rows = importing.read_rows(bytes(record.content), filename=record.filename)
            if record.kind == ProcedureImport.Kind.NATIONAL:
                checked = importing.check_national(rows, municipal_only=record.municipal_only)
            else:
                checked = importing.check_city(rows, columns=record.columns)
            del rows
            plan = importing.plan(checked, fiscal_year=record.fiscal_year)
        except importing.ImportRejected as exc:
            _mark(
                record,
                status=ProcedureImport.Status.REJECTED,
                errors=[[e.row, e.column, e.message]
                        for e in exc.row_errors[: importing.ERRORS_KEPT]],
                error_count=len(exc.row_errors),
                summary={"rejected": exc.rejected_rows},
                message=exc.messages[0][:500],
                finished_at=timezone.now(),
            )  # fmt: skip
            return record
        except ValidationError as exc:
            _mark(
                record,
                status=ProcedureImport.Status.REJECTED,
                message=" ".join(exc.messages)[:500],
                finished_at=timezone.now(),
            )
            return record
        if not record.confirmed:
            _mark(
                record, status=ProcedureImport.Status.CHECKED, summary=plan.summary(), progress=1.0
            )
            return record
        _mark(record, status=ProcedureImport.Status.WRITING, progress=0.5)
        try:
            summary = importing.apply(
                plan,
                actor=record.owner,
                filename=record.filename,
                progress=lambda done, total: _mark(
                    record, progress=0.5 + 0.5 * done / max(total, 1)
                ),
            )
        except Exception:
            _mark(
                record,
                status=ProcedureImport.Status.FAILED,
                message=_("The import stopped because of an error; nothing was imported."),
                finished_at=timezone.now(),
            )
            raise
        _mark(
            record,
            status=ProcedureImport.Status.DONE,
            summary=summary,
            progress=1.0,
            content=b"",
            finished_at=timezone.now(),
        )
    from .search_index import reindex

    reindex()
    return record
