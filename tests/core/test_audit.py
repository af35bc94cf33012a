import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kyokan.apps.core import services
from kyokan.apps.core.audit import audit_verify
from kyokan.apps.core.models import AuditChainHead, AuditEvent, Department


@pytest.fixture
def trail(sysadmin):
    """A few real writes through the services."""
    bureau = services.department_create(actor=sysadmin, name="監査テスト部", kind="bureau")
    services.department_update(actor=sysadmin, department=bureau, name="監査テスト局")
    services.fiscal_year_create(actor=sysadmin, year=2024, note="次期戦略")
    return bureau


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_write_records_who_when_what_and_the_values(trail, sysadmin):
    event = AuditEvent.objects.filter(target_type="core.department").order_by("id").last()
    assert event.action == "update"
    assert event.actor == sysadmin and event.actor_name == str(sysadmin)
    assert event.target_id == str(trail.pk)
    assert event.before == {"name": "監査テスト部"}
    assert event.after == {"name": "監査テスト局"}
    assert event.created_at is not None


def test_an_update_that_changes_nothing_records_nothing(trail, sysadmin):
    count = AuditEvent.objects.count()
    assert (
        services.department_update(actor=sysadmin, department=trail, name="監査テスト局") is False
    )
    assert AuditEvent.objects.count() == count


def test_passwords_never_enter_the_trail(people, sysadmin):
    services.user_set_password(actor=sysadmin, user=people["staff"], password="a-new-Pass-2026")
    for event in AuditEvent.objects.all():
        assert "password" not in (event.before or {})
        assert "password" not in (event.after or {})


def test_entries_cannot_be_edited_or_deleted_through_the_application(trail):
    event = AuditEvent.objects.first()
    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_each_entry_carries_the_hash_of_the_one_before(trail):
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    head = AuditChainHead.objects.get()
    assert head.last_hash == events[-1].hash and head.count == len(events)


def test_verify_passes_on_an_untouched_trail(trail, capsys):
    assert audit_verify().ok
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_verify_names_an_entry_changed_in_the_database(trail, capsys):
    victim = AuditEvent.objects.filter(target_type="core.department").order_by("id").last()
    _raw(
        f"UPDATE {AuditEvent._meta.db_table} SET target_repr = %s WHERE id = %s",
        ["改ざん", victim.pk],
    )
    result = audit_verify()
    assert not result.ok
    assert any(p.startswith(f"#{victim.pk}:") for p in result.problems)
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify")
    assert f"#{victim.pk}" in capsys.readouterr().err


def test_verify_detects_a_rehashed_entry_by_the_broken_link(trail):
    """Someone who alters a row and recomputes its hash still breaks the next link."""
    victim = AuditEvent.objects.order_by("id").first()
    victim.summary = "改ざん"
    new_hash = victim.compute_hash()
    _raw(
        f"UPDATE {AuditEvent._meta.db_table} SET summary = %s, hash = %s WHERE id = %s",
        ["改ざん", new_hash, victim.pk],
    )
    following = AuditEvent.objects.filter(pk__gt=victim.pk).order_by("id").first()
    problems = audit_verify().problems
    assert any(p.startswith(f"#{following.pk}:") for p in problems)


def test_verify_detects_a_deleted_entry(trail):
    events = list(AuditEvent.objects.order_by("id"))
    _raw(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[1].pk])
    problems = audit_verify().problems
    assert any(p.startswith(f"#{events[2].pk}:") for p in problems)


def test_verify_detects_the_newest_entry_removed(trail):
    newest = AuditEvent.objects.order_by("-id").first()
    _raw(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [newest.pk])
    problems = audit_verify().problems
    assert any("chain head" in p for p in problems)


def test_a_failed_service_leaves_neither_change_nor_entry(trail, sysadmin):
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.department_create(actor=sysadmin, name="", kind="bureau")
    assert AuditEvent.objects.count() == count
    assert not Department.objects.filter(name="").exists()


def _forge_whole_chain(key: bytes) -> None:
    """What someone who can write the database does: alter an entry and recompute every
    hash after it (and the head), with the key they think is in use."""
    import hashlib
    import hmac

    table = AuditEvent._meta.db_table
    prev = "0" * 64
    events = list(AuditEvent.objects.order_by("id"))
    events[0].summary = "改ざん"
    for event in events:
        event.prev_hash = prev
        prev = hmac.new(key, event.canonical().encode(), hashlib.sha256).hexdigest()
        _raw(
            f"UPDATE {table} SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.summary, event.prev_hash, "tmp-" + str(event.pk), event.pk],
        )
        _raw(f"UPDATE {table} SET hash = %s WHERE id = %s", [prev, event.pk])
    _raw(
        f"UPDATE {AuditChainHead._meta.db_table} SET last_hash = %s WHERE id = 1",
        [prev],
    )


@pytest.mark.parametrize(
    "key",
    [b"", b"guessed-key", None],  # None: Django's SECRET_KEY, which is not the audit key
)
def test_a_chain_rewritten_without_the_audit_key_is_found(trail, settings, key):
    if key is None:
        key = settings.SECRET_KEY.encode()
    assert audit_verify().ok
    _forge_whole_chain(key)
    result = audit_verify()
    assert not result.ok
    assert any("content does not match" in p for p in result.problems)


def test_the_hash_depends_on_the_audit_key(trail, settings):
    event = AuditEvent.objects.order_by("id").first()
    original = event.compute_hash()
    assert original == event.hash
    settings.KYOKAN_AUDIT_KEY = "another-key-another-key-another-key"
    assert event.compute_hash() != original


def test_verify_prints_the_head_and_checks_a_recorded_one(trail, capsys, settings):
    result = audit_verify()
    newest = AuditEvent.objects.order_by("-id").first()
    assert (result.head_id, result.head_hash) == (newest.pk, newest.hash)
    call_command("audit_verify")
    assert f"head: #{newest.pk} {newest.hash}" in capsys.readouterr().out
    call_command("audit_verify", "--expect-head", newest.hash)
    # A key holder who rewrites the chain changes every hash after the change: the head
    # recorded in the minutes is then no longer in the chain.
    _forge_whole_chain(settings.KYOKAN_AUDIT_KEY.encode())
    assert audit_verify().ok  # consistent under the real key …
    with pytest.raises(CommandError):  # … but the recorded head is gone
        call_command("audit_verify", "--expect-head", newest.hash)
