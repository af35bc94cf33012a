"""The audit trail: append-only, hash-chained records of every write.

Each entry's hash is an HMAC (SHA-256) of its content and the previous entry's hash, under
KYOKAN_AUDIT_KEY, a key kept outside the database. What this proves: an entry altered,
inserted or removed by someone who can write the database but does not hold the key is
found by ``audit-verify``; the head hash it prints, recorded elsewhere (minutes, the
auditor's file), also shows a truncation or a rewrite of the whole chain by someone who
holds the key. What it does not prove: that what the application recorded was true, nor
anything about writes made outside Kyokan's services without touching the trail.

Services call ``audited_create`` / ``audited_update`` / ``audited_delete`` (or
``audit_record`` for writes that are not a single model row). ``audit_verify`` walks the
chain and names the first entry whose content or link does not match.
"""

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

SECRET_FIELDS = frozenset({"password"})


def _json_safe(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model) -> dict:
    """The row's concrete field values, JSON-safe; secrets are left out."""
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        data[f.name] = _json_safe(getattr(instance, f.attname))
    return data


def _type_of(instance: models.Model) -> str:
    return instance._meta.label_lower


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Record one write. ``actor_name`` names a writer without an account (e.g. an external
    guest answering through a personal link)."""
    if target is not None:
        target_type = target_type or _type_of(target)
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)[:200]
    actor = actor if getattr(actor, "is_authenticated", False) else None
    # Lock the head row: appends are serialised so that the chain never forks.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor,
        actor_name=(str(actor) if actor else actor_name)[:150],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:200],
        summary=summary[:300],
        before=_json_safe(before),
        after=_json_safe(after),
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    head.last_event_id = event.pk
    head.last_hash = event.hash
    head.count += 1
    head.save(update_fields=["last_event_id", "last_hash", "count"])
    return event


@transaction.atomic
def audit_record_many(*, actor, action: str, targets: list[models.Model], summary: str = "") -> int:
    """One entry per target (e.g. a bulk load), chained and inserted in batches."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    prev, now, events = head.last_hash, timezone.now(), []
    for target in targets:
        event = AuditEvent(
            created_at=now,
            actor=actor,
            actor_name=(str(actor) if actor else "")[:150],
            action=action,
            target_type=_type_of(target),
            target_id=str(target.pk),
            target_repr=str(target)[:200],
            summary=summary[:300],
            after=snapshot(target) if action == AuditEvent.Action.CREATE else None,
            prev_hash=prev,
        )
        event.hash = prev = event.compute_hash()
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    if events:
        # Backends that do not return ids from bulk_create: read the newest id back.
        head.last_event_id = AuditEvent.objects.get(hash=prev).pk
        head.last_hash = prev
        head.count += len(events)
        head.save(update_fields=["last_event_id", "last_hash", "count"])
    return len(events)


@transaction.atomic
def audited_create(*, actor, instance: models.Model, summary: str = "") -> models.Model:
    instance.full_clean()
    instance.save(force_insert=True)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=instance,
        summary=summary,
        after=snapshot(instance),
    )
    return instance


@transaction.atomic
def audited_update(*, actor, instance: models.Model, changes: dict, summary: str = "") -> bool:
    """Apply ``changes`` (field name → value), validate, save and record. Returns whether
    anything changed; an update that changes nothing records nothing.

    The "before" values are read from the database (row locked), not from ``instance``:
    a ModelForm has usually written the new values onto the instance already."""
    stored = instance._meta.model._default_manager.select_for_update().get(pk=instance.pk)
    before = snapshot(stored)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    after = snapshot(instance)
    changed = {k for k in after if before.get(k) != after[k]}
    if not changed:
        return False
    instance.save(update_fields=[instance._meta.get_field(k).name for k in sorted(changed)])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=instance,
        summary=summary,
        before={k: before[k] for k in sorted(changed)},
        after={k: after[k] for k in sorted(changed)},
    )
    return True


@transaction.atomic
def audited_delete(*, actor, instance: models.Model, summary: str = "") -> None:
    before = snapshot(instance)
    target_type, target_id, target_repr = _type_of(instance), str(instance.pk), str(instance)
    instance.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        summary=summary,
        before=before,
    )


@dataclass
class AuditVerification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    head_id: int | None = None  # the newest entry checked
    head_hash: str = "0" * 64  # its hash: record it elsewhere (minutes, the auditor)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, expect_head: str | None = None) -> AuditVerification:
    """Recompute every hash and check every link, oldest first. ``expect_head``: a hash
    recorded earlier that must still be in the chain (shows a rewrite by a key holder)."""
    result = AuditVerification()
    seen_expected = expect_head is None
    expected_prev = "0" * 64
    last_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        result.checked += 1
        if event.prev_hash != expected_prev:
            result.problems.append(
                f"#{event.pk}: does not follow the entry before it (an entry was removed, "
                "inserted or its hash altered)"
            )
        if event.compute_hash() != event.hash:
            result.problems.append(f"#{event.pk}: content does not match its hash (altered)")
        expected_prev = event.hash
        last_id = event.pk
        seen_expected = seen_expected or event.hash == expect_head
    result.head_id, result.head_hash = last_id, expected_prev
    head = AuditChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else "0" * 64
    head_count = head.count if head else 0
    if head_hash != expected_prev or (head and head.last_event_id != last_id):
        result.problems.append(
            f"chain head: expected entry #{head.last_event_id if head else '-'} last, "
            f"found #{last_id} (the newest entries were removed or altered)"
        )
    if not seen_expected:
        result.problems.append(
            f"the recorded head {expect_head} is not in the chain (entries were removed or the "
            "chain was rewritten)"
        )
    if head_count != result.checked:
        result.problems.append(
            f"chain head: {head_count} entries recorded, {result.checked} present"
        )
    return result
