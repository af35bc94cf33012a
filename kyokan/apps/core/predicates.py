"""Who someone is, as rules predicates. A user's roles are read once per request."""

import rules

from .roles import CITY_STAFF_ROLES, HQ_ROLES, Role


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_kyokan_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        user._kyokan_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the per-request cache after the user's roles changed."""
    user.__dict__.pop("_kyokan_roles", None)


def _has_any(name: str, roles) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return bool(roles_of(user) & wanted)

    return predicate


is_secretariat = _has_any("is_secretariat", {Role.SECRETARIAT})
is_hq_member = _has_any("is_hq_member", HQ_ROLES)
is_promoter = _has_any("is_promoter", {Role.PROMOTER})
is_city_staff = _has_any("is_city_staff", CITY_STAFF_ROLES)
is_expert = _has_any("is_expert", {Role.EXPERT})
is_citizen = _has_any("is_citizen", {Role.CITIZEN})
is_sysadmin = _has_any("is_sysadmin", {Role.SYSADMIN})


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.pk == person.pk


@rules.predicate
def is_export_owner(user, job) -> bool:
    return job is not None and is_signed_in(user) and job.owner_id == user.pk
