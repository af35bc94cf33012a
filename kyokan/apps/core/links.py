"""Generic links between modules: an agenda item (or anything else) can point at an object
of another module — a document, an initiative, a survey, an idea — without importing it.

Each app registers its linkable types from AppConfig.ready(); a link stores the type key,
the object's id and a label snapshot, so a link survives even if its module changes.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LinkType:
    key: str  # "app_label.model", e.g. "meetings.meeting"
    label: str  # shown to users, e.g. "会議"
    search: Callable[[str, object], list[tuple[str, str]]]  # (query, user) → [(id, label)]
    url: Callable[[str], str]  # id → URL of the object's page


_types: dict[str, LinkType] = {}


def register_link_type(link_type: LinkType) -> None:
    _types[link_type.key] = link_type


def link_types() -> list[LinkType]:
    return sorted(_types.values(), key=lambda t: t.key)


def link_type(key: str) -> LinkType | None:
    return _types.get(key)


def object_type_label(key: str) -> str:
    """ "documents.version" → the model's verbose name in the current language (「版」);
    an unknown key is shown as it is."""
    from django.apps import apps

    try:
        model = apps.get_model(key)
    except (LookupError, ValueError):
        return key
    return str(model._meta.verbose_name)
