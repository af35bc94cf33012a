"""Who may do what with an initiative: a 推進員 acts for the bureau they promote DX in."""

import rules

from kyokan.apps.core.roles import Role


def promoted_bureaus(user) -> frozenset[int]:
    """Ids of the bureaus the person is 推進員 of (read once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_kyokan_promoted", None)
    if cached is None:
        cached = frozenset(
            user.role_assignments.filter(role=Role.PROMOTER).values_list("department_id", flat=True)
        )
        user._kyokan_promoted = cached
    return cached


def _bureau_id(obj):
    """The owner bureau of an initiative, or of the initiative of a report or a KPI."""
    if obj is None:
        return None
    if hasattr(obj, "bureau_id"):
        return obj.bureau_id
    initiative = getattr(obj, "initiative", None)
    return getattr(initiative, "bureau_id", None)


@rules.predicate
def promotes_its_bureau(user, obj) -> bool:
    bureau = _bureau_id(obj)
    return bureau is not None and bureau in promoted_bureaus(user)


@rules.predicate
def owns_import(user, record) -> bool:
    return record is not None and record.owner_id == user.pk
