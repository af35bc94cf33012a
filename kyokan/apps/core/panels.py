"""The core app's dashboard panels."""

from . import selectors
from .dashboard import Panel, register_panel
from .roles import Role


def _people(user) -> dict:
    counts = dict(selectors.role_counts())
    return {
        "total": selectors.people_count(),
        "by_role": [(role.label, counts.get(role.value, 0)) for role in Role],
    }


def _departments(user) -> dict:
    return selectors.department_counts()


def _my_work(user) -> dict:
    from .mywork import next_items

    return {"items": next_items(user)}


def _audit(user) -> dict:
    return {"events": selectors.recent_audit_events(8)}


def register() -> None:
    register_panel(Panel("core.my_work", "core/panels/my_work.html", "core.use_app", _my_work, 5))
    register_panel(Panel("core.people", "core/panels/people.html", "core.view_people", _people, 20))
    register_panel(
        Panel(
            "core.departments",
            "core/panels/departments.html",
            "core.view_departments",
            _departments,
            30,
        )
    )
    register_panel(Panel("core.audit", "core/panels/audit.html", "core.view_audit", _audit, 90))
