"""People and departments from the HR system (人事・組織データ), with an effective date.

Every 1 April a city reorganises (組織改正) and moves its staff (人事異動). The HR system's
file — CSV (UTF-8, UTF-8 with BOM or CP932) or Excel — is read, checked and compared with
Kyokan (:func:`staff_import_plan`: what would change, and every row's errors), then applied
all or nothing (:func:`staff_import_apply`). One table, header on the first row; each row is
either an organisation row (区分 = 組織) or a person row (区分 = 職員):

=========  ===========================================================================
column     meaning
=========  ===========================================================================
区分        組織 or 職員
部局, 課    the bureau and the division (empty 課: the bureau itself)
操作        organisation rows: 新設 (new), 名称変更 (renamed; 旧名称 = the old name),
           統合 (merged into 統合先, "部局/課" or a 課 of the same 部局), 廃止 (abolished),
           or empty (exists unchanged)
職員番号     person rows: the key of the person (required, unique in the file)
氏名, ふりがな, メール, 職名
役割        roles, separated by 、 ; or ・ (e.g. 職員・推進員); empty keeps the person's roles
           (a new person is 職員). システム管理者 is never set from an HR file.
退職        1 (or 退職): the person leaves on the effective date — their account stops
           working, but they and what they contributed are kept
ログインID   optional, for new people (default: the 職員番号)
=========  ===========================================================================

History is kept: a renamed or abolished division stays attached to what it owned and keeps
its names by period (DepartmentName); a person who moves keeps their past posts by period
(Assignment), so that past meetings, documents and answers show the division as it was then.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Assignment, Department, DepartmentName, StaffImport, User
from .roles import Role

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

COLUMNS = {
    "kind": ("区分", "kind"),
    "bureau": ("部局", "bureau"),
    "division": ("課", "division"),
    "action": ("操作", "action"),
    "old_name": ("旧名称", "old name"),
    "merge_into": ("統合先", "merge into"),
    "number": ("職員番号", "staff number"),
    "name": ("氏名", "name"),
    "kana": ("ふりがな", "よみがな", "kana"),
    "email": ("メール", "メールアドレス", "e-mail", "email"),
    "title": ("職名", "title", "job title"),
    "roles": ("役割", "roles"),
    "leaving": ("退職", "leaving"),
    "login": ("ログインID", "login", "login id"),
}
ORG, PERSON = "組織", "職員"
NEW, RENAME, MERGE, ABOLISH, KEEP = "新設", "名称変更", "統合", "廃止", ""
ACTIONS = {NEW, RENAME, MERGE, ABOLISH, KEEP, "継続"}
SETTABLE_ROLES = {r for r in Role if r not in (Role.SYSADMIN, Role.EXPERT, Role.CITIZEN)}


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class Change:
    kind: str  # new_department, renamed, merged, abolished, new_person, moved, updated, leaving
    text: str


@dataclass
class StaffPlan:
    effective: date
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # what the apply step needs (internal)
    org: list = field(default_factory=list)
    people: list = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(c.kind for c in self.changes))

    @property
    def ok(self) -> bool:
        return not self.errors


def _norm(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


# --- reading the file --------------------------------------------------------------------------


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) of every non-empty row; ValidationError if the file
    cannot be read at all."""
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        table = _xlsx_rows(data)
    else:
        table = _csv_rows(data)
    table = [r for r in table if any(c.strip() for c in r)]
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [_norm(h).lower() for h in table[0]]
    index = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in {_norm(n).lower() for n in names}:
                index[key] = i
                break
    missing = [COLUMNS[k][0] for k in ("kind",) if k not in index]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError(_("The file has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"})
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        rows.append(
            (number, {k: (_cell(raw[i]) if i < len(raw) else "") for k, i in index.items()})
        )
    return rows


# What is read of a file before it is refused: the filled rows the import takes (and the
# heading), blank rows up to ten times that, and columns well beyond the 15 it knows. A 5 KB
# workbook with one cell at XFD1048576 declares 17 billion cells; a 5 MB CSV of line breaks
# is five million rows: both were read whole before any count (a memory error after 20 s).
# A workbook's columns past MAX_COLUMNS are not read (the import takes only the columns its
# heading names); a CSV row that long is refused.
MAX_READ_ROWS = 10 * MAX_ROWS
MAX_COLUMNS = 60


def _bounded(rows) -> list[list[str]]:
    from .csvfiles import bounded_rows

    table = bounded_rows(
        rows,
        filled_max=MAX_ROWS,
        rows_max=MAX_READ_ROWS,
        columns_max=MAX_COLUMNS,
        text=_cell,
    )
    return [[_cell(c) for c in row] for row in table]


def _csv_rows(data: bytes) -> list[list[str]]:
    from .csvfiles import decode

    return _bounded(csv.reader(io.StringIO(decode(data))))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > 20 * MAX_BYTES:
                raise ValidationError(_("The Excel file unpacks to more than 100 MB."))
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception as exc:  # not a workbook, encrypted, broken
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # the declared size is not taken: rows are read as they come
    try:
        return _bounded(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1))
    finally:
        book.close()


# --- the plan ------------------------------------------------------------------------------------


@dataclass
class _Unit:
    """A department as it will be after the import."""

    bureau: str
    division: str  # "" for a bureau
    existing: Department | None = None
    action: str = KEEP
    old_name: str = ""
    merge_into: tuple[str, str] | None = None
    row: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.bureau, self.division)

    def label(self) -> str:
        return f"{self.bureau} {self.division}".strip()


def _role_index() -> dict[str, str]:
    """Role names as an HR file may write them: the Japanese labels (whatever the language
    of the person importing), the English ones and the codes."""
    from django.utils import translation

    index = {}
    for language in ("ja", "en"):
        with translation.override(language):
            for role in Role:
                index[_norm(role.label).lower()] = role.value
    for role in Role:
        index[role.value] = role.value
    return index


def last_applied_effective() -> date | None:
    last = (
        StaffImport.objects.filter(status=StaffImport.Status.APPLIED)
        .order_by("-effective_on")
        .first()
    )
    return last.effective_on if last else None


def staff_import_plan(rows: list[tuple[int, dict[str, str]]], *, effective: date) -> StaffPlan:
    """What the file would change (nothing is written), with every row's errors."""
    from .validation import validate_sane_date

    plan = StaffPlan(effective=effective)
    err = plan.errors.append
    try:
        validate_sane_date(effective)
    except ValidationError as exc:
        err(RowError(0, " ".join(exc.messages)))
        return plan
    last = last_applied_effective()
    if last and effective < last:
        err(
            RowError(
                0,
                _(
                    "The effective date is before that of the last import (%(last)s): "
                    "imports are applied in the order of their dates."
                )
                % {"last": last.isoformat()},
            )
        )
        return plan

    # Current organisation, by names.
    departments = list(Department.objects.select_related("parent"))
    current: dict[tuple[str, str], Department] = {}
    for d in departments:
        if d.parent_id:
            current[(_norm(d.parent.name), _norm(d.name))] = d
        else:
            current[(_norm(d.name), "")] = d
    after: dict[tuple[str, str], _Unit] = {
        key: _Unit(bureau=key[0], division=key[1], existing=d)
        for key, d in current.items()
        if d.is_active
    }

    org_rows = [(n, r) for n, r in rows if _norm(r.get("kind")) == ORG]
    person_rows = [(n, r) for n, r in rows if _norm(r.get("kind")) == PERSON]
    for n, r in rows:
        if _norm(r.get("kind")) not in (ORG, PERSON):
            err(RowError(n, _("区分 must be 組織 or 職員.")))

    # 1. organisation rows, in file order (a new bureau before its divisions).
    renamed_from: dict[tuple[str, str], tuple[str, str]] = {}
    for n, r in org_rows:
        bureau, division = _norm(r.get("bureau")), _norm(r.get("division"))
        action = _norm(r.get("action"))
        action = KEEP if action == "継続" else action
        if not bureau:
            err(RowError(n, _("部局 is required.")))
            continue
        if action not in ACTIONS:
            err(RowError(n, _("操作 must be 新設, 名称変更, 統合, 廃止 or empty.")))
            continue
        key = (bureau, division)
        if action == NEW:
            if key in after:
                err(RowError(n, _("%(name)s already exists.") % {"name": f"{bureau} {division}"}))
                continue
            if division and (bureau, "") not in after:
                err(RowError(n, _("The bureau %(name)s does not exist.") % {"name": bureau}))
                continue
            after[key] = _Unit(bureau=bureau, division=division, action=NEW, row=n)
            plan.changes.append(
                Change("new_department", _("New: %(name)s") % {"name": f"{bureau} {division}"})
            )
        elif action == RENAME:
            old = _norm(r.get("old_name"))
            old_key = (bureau, old) if division else (old, "")
            if division and old_key not in after:
                # the bureau may itself have been renamed earlier in the file
                old_key = next(
                    (k for k, u in after.items() if k[1] == old and renamed_from.get((k[0], ""))),
                    old_key,
                )
            if not old or old_key not in after or after[old_key].existing is None:
                err(RowError(n, _("名称変更 needs 旧名称, the current name of an existing unit.")))
                continue
            if key in after:
                err(RowError(n, _("%(name)s already exists.") % {"name": f"{bureau} {division}"}))
                continue
            unit = after.pop(old_key)
            unit.action, unit.old_name, unit.row = RENAME, old, n
            unit.bureau, unit.division = bureau, division
            after[key] = unit
            renamed_from[key] = old_key
            if not division:  # the bureau's divisions follow it under the new name
                for k in [k for k in after if k[0] == old and k[1]]:
                    child = after.pop(k)
                    child.bureau = bureau
                    after[(bureau, k[1])] = child
            plan.changes.append(
                Change(
                    "renamed",
                    _("Renamed: %(old)s → %(new)s") % {"old": old, "new": key[1] or key[0]},
                )
            )
        elif action in (MERGE, ABOLISH):
            if key not in after or after[key].existing is None:
                err(RowError(n, _("%(name)s does not exist.") % {"name": f"{bureau} {division}"}))
                continue
            unit = after[key]
            if not division and any(k[0] == bureau and k[1] for k in after):
                err(RowError(n, _("A bureau can be abolished only when its divisions are.")))
                continue
            if action == MERGE:
                target = _norm(r.get("merge_into"))
                target_key = tuple(target.split("/", 1)) if "/" in target else (bureau, target)
                if target_key not in after or target_key == key:
                    err(RowError(n, _("統合先 must be another existing or new division.")))
                    continue
                unit.merge_into = target_key  # type: ignore[assignment]
            unit.action, unit.row = action, n
            after.pop(key)
            plan.changes.append(
                Change(
                    "merged" if action == MERGE else "abolished",
                    (
                        _("Merged: %(name)s → %(target)s")
                        if action == MERGE
                        else _("Abolished: %(name)s")
                    )
                    % {
                        "name": f"{bureau} {division}".strip(),
                        "target": " ".join(unit.merge_into or ()),
                    },
                )
            )
            plan.org.append(unit)
            continue
        elif key not in after:
            err(RowError(n, _("%(name)s does not exist.") % {"name": f"{bureau} {division}"}))
            continue
        if after[key] not in plan.org:
            plan.org.append(after[key])
    gone = {u.existing.pk: u for u in plan.org if u.action in (MERGE, ABOLISH) and u.existing}

    # 2. person rows.
    roles_by_label = _role_index()
    numbers = Counter(_norm(r.get("number")) for _n, r in person_rows)
    people = {u.staff_number: u for u in User.objects.filter(staff_number__isnull=False)}
    people_by_login = set(User.objects.values_list("username", flat=True))
    moved_out: set[int] = set()
    for n, r in person_rows:
        number = _norm(r.get("number"))
        if not number:
            err(RowError(n, _("職員番号 is required.")))
            continue
        if numbers[number] > 1:
            err(RowError(n, _("職員番号 %(n)s appears more than once.") % {"n": number}))
            continue
        if len(number) > 20:
            err(RowError(n, _("職員番号 is at most 20 characters.")))
            continue
        person = people.get(number)
        leaving = _norm(r.get("leaving")) in ("1", "退職", "yes", "true", "○")
        entry = {"row": n, "number": number, "person": person, "leaving": leaving, "changes": {}}
        if leaving:
            if person is None:
                err(
                    RowError(
                        n, _("職員番号 %(n)s is not in Kyokan: nobody to retire.") % {"n": number}
                    )
                )
                continue
            plan.changes.append(
                Change("leaving", _("Leaves: %(name)s") % {"name": person.full_name})
            )
            plan.people.append(entry)
            moved_out.add(person.pk)
            continue
        name = " ".join(_cell(r.get("name")).split())
        kana = " ".join(_cell(r.get("kana")).split())
        email = _cell(r.get("email"))
        title = _cell(r.get("title"))
        bureau, division = _norm(r.get("bureau")), _norm(r.get("division"))
        if person is None and not name:
            err(RowError(n, _("氏名 is required for a new person.")))
            continue
        if len(name) > 80 or len(kana) > 120 or len(title) > 60 or len(email) > 254:
            err(RowError(n, _("A value is too long (氏名 80, ふりがな 120, 職名 60 characters).")))
            continue
        if email:
            from django.core.validators import validate_email

            try:
                validate_email(email)
            except ValidationError:
                err(RowError(n, _("メール is not an e-mail address: %(v)s") % {"v": email}))
                continue
        unit = None
        if bureau or division or person is None:
            key = (bureau, division)
            unit = after.get(key)
            if unit is None:
                was = current.get(key)
                if was is not None and (not was.is_active or was.pk in gone):
                    err(RowError(n, _("%(name)s is abolished.") % {"name": f"{bureau} {division}"}))
                else:
                    err(
                        RowError(
                            n,
                            _("No such division: %(name)s (add it with a 組織 row).")
                            % {"name": f"{bureau} {division}".strip()},
                        )
                    )
                continue
        roles = None
        raw_roles = [p for p in re.split(r"[、;；・,，]", _cell(r.get("roles"))) if p.strip()]
        if raw_roles:
            roles = []
            for label in raw_roles:
                role = roles_by_label.get(_norm(label).lower())
                if role is None or Role(role) not in SETTABLE_ROLES:
                    err(RowError(n, _("Unknown or not settable role: %(r)s") % {"r": label}))
                    roles = None
                    break
                roles.append(role)
            if roles is None:
                continue
        entry.update(name=name, kana=kana, email=email, title=title, unit=unit, roles=roles)
        if person is None:
            login = _cell(r.get("login")) or number
            if login in people_by_login:
                err(RowError(n, _("The login ID %(l)s is already taken.") % {"l": login}))
                continue
            people_by_login.add(login)
            entry["login"] = login
            plan.changes.append(
                Change(
                    "new_person",
                    _("New: %(name)s (%(unit)s)") % {"name": name, "unit": unit.label()},
                )
            )
        else:
            if unit is not None and (
                unit.existing is None or unit.existing.pk != person.department_id
            ):
                plan.changes.append(
                    Change(
                        "moved",
                        _("Moves: %(name)s → %(unit)s")
                        % {"name": person.full_name, "unit": unit.label()},
                    )
                )
                moved_out.add(person.pk)
            updates = {
                k: v
                for k, v in (
                    ("full_name", name),
                    ("full_name_kana", kana),
                    ("email", email),
                    ("title", title),
                )
                if v and v != getattr(person, k)
            }
            if updates:
                fields = "、".join(str(User._meta.get_field(k).verbose_name) for k in updates)
                plan.changes.append(
                    Change(
                        "updated",
                        _("Updated: %(name)s (%(fields)s)")
                        % {"name": person.full_name, "fields": fields},
                    )
                )
            entry["changes"] = updates
        plan.people.append(entry)

    # 3. nobody may stay in a division that goes away (unless it merges: they follow it).
    for pk, unit in gone.items():
        if unit.action != ABOLISH:
            continue
        staying = User.objects.filter(department_id=pk, is_active=True).exclude(pk__in=moved_out)
        names = list(staying.values_list("full_name", flat=True)[:5])
        if names:
            err(
                RowError(
                    unit.row,
                    _(
                        "%(unit)s is abolished but %(n)s people stay in it (e.g. %(names)s): "
                        "move them in the file."
                    )
                    % {"unit": unit.label(), "n": staying.count(), "names": "、".join(names)},
                )
            )
    plan.errors.sort(key=lambda e: e.row)
    plan.after = after  # type: ignore[attr-defined]
    return plan


def applied_plan(record: StaffImport) -> StaffPlan:
    """What an applied import changed, as recorded when it was applied."""
    plan = StaffPlan(effective=record.effective_on)
    plan.changes = [Change(kind, text) for kind, text in record.counts.get("changes", [])]
    return plan


# --- applying ------------------------------------------------------------------------------------


def _close_name(department: Department, until: date) -> None:
    open_row = department.names.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if open_row is None:
        DepartmentName.objects.create(department=department, name=department.name, valid_to=until)
    else:
        open_row.valid_to = until
        open_row.save(update_fields=["valid_to"])


def _move(person: User, department: Department | None, title: str, effective: date) -> None:
    day_before = effective - timedelta(days=1)
    current = person.assignments.filter(valid_to__isnull=True).first()
    if current is None:
        Assignment.objects.create(
            user=person, department_id=person.department_id, title=person.title, valid_to=day_before
        )
    else:
        current.valid_to = day_before
        current.save(update_fields=["valid_to"])
    if department is not None:
        Assignment.objects.create(
            user=person, department=department, title=title, valid_from=effective
        )


@transaction.atomic
def staff_import_apply(*, actor, staff_import: StaffImport) -> StaffPlan:
    """Apply a previewed import: everything or, on any error, nothing (ValidationError)."""
    from . import services
    from .audit import audit_record, audited_update
    from .models import AuditEvent

    locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
    if locked.status != StaffImport.Status.PREVIEW:
        raise ValidationError(_("This import has already been applied."))
    effective = locked.effective_on
    if effective > timezone.localdate():
        raise ValidationError(
            _(
                "The import can be applied from its effective date (%(date)s); "
                "preview it until then."
            )
            % {"date": effective.isoformat()}
        )
    plan = staff_import_plan(read_rows(bytes(locked.content), locked.filename), effective=effective)
    if not plan.ok:
        raise ValidationError(
            [f"{e.row}: {e.message}" if e.row else e.message for e in plan.errors[:50]]
        )
    day_before = effective - timedelta(days=1)
    made: dict[tuple[str, str], Department] = {}

    def department_of(unit: _Unit) -> Department:
        if unit.existing is not None:
            return unit.existing
        return made[unit.key]

    # Organisation: new units (bureaus first), renames, then merges and abolitions.
    for unit in sorted((u for u in plan.org if u.action == NEW), key=lambda u: bool(u.division)):
        parent = None if not unit.division else department_of(plan.after[(unit.bureau, "")])
        created = services.department_create(
            actor=actor,
            name=unit.division or unit.bureau,
            kind=Department.Kind.DIVISION if unit.division else Department.Kind.BUREAU,
            parent=parent,
        )
        DepartmentName.objects.create(department=created, name=created.name, valid_from=effective)
        made[unit.key] = created
    for unit in (u for u in plan.org if u.action == RENAME):
        department = unit.existing
        _close_name(department, day_before)
        new_name = unit.division or unit.bureau
        services.department_update(actor=actor, department=department, name=new_name)
        DepartmentName.objects.create(department=department, name=new_name, valid_from=effective)
    for unit in (u for u in plan.org if u.action in (MERGE, ABOLISH)):
        department = unit.existing
        target = department_of(plan.after[unit.merge_into]) if unit.merge_into else None
        if target is not None:
            for person in User.objects.filter(department=department, is_active=True):
                _move(person, target, person.title, effective)
                audited_update(actor=actor, instance=person, changes={"department": target})
        _close_name(department, day_before)
        audited_update(
            actor=actor,
            instance=department,
            changes={"is_active": False, "abolished_on": effective, "merged_into": target},
        )

    # People.
    people_done = 0
    for entry in plan.people:
        person = entry["person"]
        if entry["leaving"]:
            _move(person, None, "", effective)
            audited_update(
                actor=actor, instance=person, changes={"is_active": False, "left_on": effective}
            )
            people_done += 1
            continue
        unit = entry["unit"]
        department = department_of(unit) if unit is not None else None
        if person is None:
            person = services.user_create(
                actor=actor,
                username=entry["login"],
                full_name=entry["name"],
                full_name_kana=entry["kana"],
                email=entry["email"],
                title=entry["title"],
                department=department,
                staff_number=entry["number"],
                roles=[(Role.STAFF, None)],
            )
            Assignment.objects.create(
                user=person, department=department, title=entry["title"], valid_from=effective
            )
        else:
            changes = dict(entry["changes"])
            if department is not None and department.pk != person.department_id:
                _move(person, department, entry["title"] or person.title, effective)
                changes["department"] = department
            if changes:
                audited_update(actor=actor, instance=person, changes=changes)
        if entry["roles"] is not None:
            bureau = None
            if person.department_id:
                dept = Department.objects.select_related("parent").get(pk=person.department_id)
                bureau = dept.parent or dept
            specs = [(r, bureau if r == Role.PROMOTER else None) for r in entry["roles"]]
            kept = [
                (a.role, a.department)
                for a in person.role_assignments.select_related("department")
                if Role(a.role) not in SETTABLE_ROLES
            ]
            services.user_set_roles(actor=actor, user=person, roles=[*kept, *specs])
        people_done += 1

    locked.status = StaffImport.Status.APPLIED
    locked.applied_at = timezone.now()
    # What was applied, kept for the record (re-reading the file later would compare it
    # with the organisation it has itself changed).
    locked.counts = {**plan.counts, "changes": [[c.kind, c.text] for c in plan.changes]}
    locked.save(update_fields=["status", "applied_at", "counts"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LOAD,
        target=locked,
        summary=f"HR import applied (effective {effective.isoformat()})",
        after=plan.counts,
    )
    return plan


@transaction.atomic
def staff_import_preview(*, actor, data: bytes, filename: str, effective: date):
    """Read and check a file; store it for its apply step. Returns (import, plan)."""
    from .audit import audit_record
    from .models import AuditEvent

    rows = read_rows(data, filename)
    plan = staff_import_plan(rows, effective=effective)
    StaffImport.objects.filter(
        status=StaffImport.Status.PREVIEW, created_at__lt=timezone.now() - timedelta(days=7)
    ).delete()
    record = StaffImport.objects.create(
        effective_on=effective,
        filename=filename[:200],
        content=data,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        counts=plan.counts,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=record,
        summary=f"HR import previewed: {len(plan.errors)} errors",
        after=plan.counts,
    )
    return record, plan


# --- reading history ------------------------------------------------------------------------------


def department_names_on(department_ids, on: date) -> dict[int, str]:
    """The names departments had on ``on`` (one query); departments without history keep
    their current name."""
    ids = {i for i in department_ids if i}
    names = {}
    rows = DepartmentName.objects.filter(department_id__in=ids).order_by("valid_from")
    for row in rows:
        starts_ok = row.valid_from is None or row.valid_from <= on
        ends_ok = row.valid_to is None or on <= row.valid_to
        if starts_ok and ends_ok:
            names[row.department_id] = row.name
    missing = ids - names.keys()
    if missing:
        names.update(Department.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def department_of_person_on(person: User, on: date) -> Department | None:
    """The department the person worked in on ``on``."""
    for a in person.assignments.select_related("department"):
        if (a.valid_from is None or a.valid_from <= on) and (
            a.valid_to is None or on <= a.valid_to
        ):
            return a.department
    return person.department


def groups(plan: StaffPlan) -> dict[str, list[str]]:
    out = defaultdict(list)
    for change in plan.changes:
        out[change.kind].append(change.text)
    return dict(out)
