"""Writes of the core app. Every function here records an audit event."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import search_index
from .audit import audit_record, audited_create, audited_delete, audited_update
from .models import (
    AuditEvent,
    ClosedDay,
    Department,
    FiscalYear,
    Municipality,
    RoleAssignment,
    User,
)
from .predicates import forget_roles
from .roles import Role

# --- municipality ---------------------------------------------------------------------


@transaction.atomic
def municipality_create(*, actor, **fields) -> Municipality:
    if Municipality.objects.exists():
        raise ValidationError(_("The municipality is already registered."))
    return audited_create(actor=actor, instance=Municipality(**fields))


@transaction.atomic
def municipality_update(*, actor, municipality: Municipality, **changes) -> bool:
    return audited_update(actor=actor, instance=municipality, changes=changes)


# --- departments ----------------------------------------------------------------------


@transaction.atomic
def department_create(
    *,
    actor,
    name: str,
    kind: str,
    parent: Department | None = None,
    code: str = "",
    sort_order: int = 0,
) -> Department:
    department = Department(name=name, kind=kind, parent=parent, code=code, sort_order=sort_order)
    audited_create(actor=actor, instance=department)
    search_index.department_put(department)
    return department


@transaction.atomic
def department_update(*, actor, department: Department, **changes) -> bool:
    deactivating = "is_active" in changes and not changes["is_active"] and department.is_active
    if deactivating and department.children.filter(is_active=True).exists():
        raise ValidationError(
            _("Deactivate the divisions of this bureau before the bureau itself.")
        )
    changed = audited_update(actor=actor, instance=department, changes=changes)
    if changed:
        search_index.department_put(department)
    return changed


@transaction.atomic
def department_delete(*, actor, department: Department) -> None:
    """Only an empty department can be deleted; others are deactivated instead."""
    if department.children.exists():
        raise ValidationError(_("This bureau still has divisions."))
    if department.members.exists() or department.role_assignments.exists():
        raise ValidationError(
            _("People belong to this department; move them or deactivate the department.")
        )
    audited_delete(actor=actor, instance=department)


# --- people ---------------------------------------------------------------------------

RoleSpec = tuple[str, Department | None]


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    password: str | None = None,
    password_hash: str | None = None,
    roles: Iterable[RoleSpec] = (),
    **fields,
) -> User:
    """Register a person. ``password`` is validated and hashed; ``password_hash`` (an
    already hashed password, as the demo loader passes) is stored as it is."""
    user = User(username=username, full_name=full_name, **fields)
    if password:
        validate_password(password, user)
        user.set_password(password)
    elif password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    audited_create(actor=actor, instance=user)
    user_set_roles(actor=actor, user=user, roles=roles)
    search_index.person_put(user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, **changes) -> bool:
    changed = audited_update(actor=actor, instance=user, changes=changes)
    if changed:
        search_index.person_put(user)
    return changed


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> bool:
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    changed = audited_update(actor=actor, instance=user, changes={"is_active": active})
    if changed:
        search_index.person_put(user)
    return changed


def _role_label(role: str, department: Department | None) -> str:
    label = str(Role(role).label)
    return f"{label}（{department.name}）" if department else label


@transaction.atomic
def user_set_roles(*, actor, user: User, roles: Iterable[RoleSpec]) -> bool:
    """Replace the person's roles with ``roles`` and record the difference."""
    wanted = {(role, dept.pk if dept else None): (role, dept) for role, dept in roles}
    current = {
        (a.role, a.department_id): a for a in user.role_assignments.select_related("department")
    }
    if (
        actor is not None
        and actor.pk == user.pk
        and any(r == Role.SYSADMIN for r, _d in current)
        and not any(r == Role.SYSADMIN for r, _d in wanted)
    ):
        raise ValidationError(_("You cannot remove your own system administrator role."))
    removed = [a for key, a in current.items() if key not in wanted]
    added = [
        RoleAssignment(user=user, role=role, department=dept)
        for key, (role, dept) in wanted.items()
        if key not in current
    ]
    if not removed and not added:
        return False
    for assignment in added:
        assignment.full_clean()
    before = sorted(_role_label(a.role, a.department) for a in current.values())
    RoleAssignment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    RoleAssignment.objects.bulk_create(added)
    after = sorted(_role_label(role, dept) for role, dept in wanted.values())
    forget_roles(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=user,
        summary=_("Roles changed"),
        before={"roles": before},
        after={"roles": after},
    )
    return True


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    """Set a password (the person's own change, or a reset by a system administrator)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.PASSWORD,
        target=user,
        summary=_("Password changed") if actor and actor.pk == user.pk else _("Password reset"),
    )


def session_login_record(*, user: User) -> None:
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, target=user)


def session_logout_record(*, user: User) -> None:
    audit_record(actor=user, action=AuditEvent.Action.LOGOUT, target=user)


# --- fiscal years and closed days -------------------------------------------------------


@transaction.atomic
def fiscal_year_create(*, actor, year: int, note: str = "") -> FiscalYear:
    return audited_create(actor=actor, instance=FiscalYear(year=year, note=note))


@transaction.atomic
def fiscal_year_update(*, actor, fiscal_year: FiscalYear, note: str) -> bool:
    return audited_update(actor=actor, instance=fiscal_year, changes={"note": note})


@transaction.atomic
def closed_day_create(*, actor, date: date, name: str) -> ClosedDay:
    return audited_create(actor=actor, instance=ClosedDay(date=date, name=name))


@transaction.atomic
def closed_day_delete(*, actor, closed_day: ClosedDay) -> None:
    audited_delete(actor=actor, instance=closed_day)
