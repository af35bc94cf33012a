"""What core puts in the site search: people and departments (seen by city staff)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .search import SearchKind, index_put, index_remove, register_search_kind

PEOPLE, DEPARTMENTS = "core.user", "core.department"


def _person_text(user) -> tuple[str, str]:
    department = user.department
    where = ""
    if department is not None:
        where = (
            f"{department.parent.name} {department.name}"
            if department.parent_id
            else department.name
        )
    parts = [user.full_name_kana, user.username, where, user.title, user.affiliation]
    return user.full_name, " ".join(p for p in parts if p)


def person_put(user) -> None:
    if not user.is_active:
        index_remove(kind=PEOPLE, object_id=user.pk)
        return
    title, body = _person_text(user)
    index_put(
        kind=PEOPLE,
        object_id=user.pk,
        title=title,
        body=body,
        url=reverse("core:person_detail", args=[user.pk]),
    )


def department_put(department) -> None:
    body = department.parent.name if department.parent_id else ""
    index_put(
        kind=DEPARTMENTS,
        object_id=department.pk,
        title=department.name,
        body=f"{body} {department.code}".strip(),
        url=reverse("core:department_detail", args=[department.pk]),
    )


def _people_source():
    from .models import User

    for user in User.objects.filter(is_active=True).select_related("department__parent"):
        title, body = _person_text(user)
        yield user.pk, title, body, reverse("core:person_detail", args=[user.pk])


def _departments_source():
    from .models import Department

    for d in Department.objects.select_related("parent"):
        body = f"{d.parent.name if d.parent_id else ''} {d.code}".strip()
        yield d.pk, d.name, body, reverse("core:department_detail", args=[d.pk])


def register() -> None:
    register_search_kind(
        SearchKind(PEOPLE, _("People"), "core.view_people", source=_people_source, order=80)
    )
    register_search_kind(
        SearchKind(
            DEPARTMENTS,
            _("Departments"),
            "core.view_departments",
            source=_departments_source,
            order=81,
        )
    )
