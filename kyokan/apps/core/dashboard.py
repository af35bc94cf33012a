"""The home dashboard is made of panels that apps register from their AppConfig.ready().

A panel reads through its app's selectors, declares the permission needed to see it and
renders one template. The dashboard never imports another app's models.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    perm: str
    context: Callable[[object], dict]
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(user) -> list[dict]:
    """The panels this user may see, each with its rendered context."""
    visible = sorted(
        (p for p in _panels.values() if user.has_perm(p.perm)), key=lambda p: (p.order, p.key)
    )
    return [{"key": p.key, "template": p.template, **p.context(user)} for p in visible]
