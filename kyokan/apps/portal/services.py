"""Writes of the portal app: keyword-only, atomic, audited."""

from __future__ import annotations

from django.db import transaction

from kyokan.apps.core.audit import audited_create, audited_delete, audited_update

from . import furigana
from .models import ReadingEntry


@transaction.atomic
def reading_entry_create(*, actor, surface: str, reading: str, note: str = "") -> ReadingEntry:
    entry = audited_create(
        actor=actor,
        instance=ReadingEntry(surface=surface.strip(), reading=reading.strip(), note=note),
    )
    transaction.on_commit(furigana.forget_dictionary)
    return entry


@transaction.atomic
def reading_entry_update(*, actor, entry: ReadingEntry, **changes) -> bool:
    for key in ("surface", "reading"):
        if key in changes:
            changes[key] = changes[key].strip()
    changed = audited_update(actor=actor, instance=entry, changes=changes)
    if changed:
        transaction.on_commit(furigana.forget_dictionary)
    return changed


@transaction.atomic
def reading_entry_delete(*, actor, entry: ReadingEntry) -> None:
    audited_delete(actor=actor, instance=entry)
    transaction.on_commit(furigana.forget_dictionary)
