import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyokan.apps.core.audit import audit_verify
from kyokan.apps.core.demo import DEMO_PASSWORD, demo_is_needed, demo_load, demo_logins
from kyokan.apps.core.models import AuditEvent, Department, FiscalYear, Municipality, User
from kyokan.apps.core.roles import Role
from tests.factories import UserFactory


@pytest.mark.django_db
def test_demo_city_has_every_role_and_a_sound_audit_trail(capsys):
    assert demo_is_needed()
    demo_load()
    assert not demo_is_needed()
    city = Municipality.objects.get()
    assert city.name == "ひかり野市"
    assert Department.objects.get(name="情報戦略課").parent.name == "経営戦略部"
    logins = {login for login, _role, _name in demo_logins()}
    assert logins == {
        "admin", "jimukyoku", "honbucho", "fukuhonbucho", "honbuin",
        "suishinin", "shokuin", "yushikisha", "shimin",
    }  # fmt: skip
    people = User.objects.filter(api_account__isnull=True)
    held = set(people.values_list("role_assignments__role", flat=True))
    assert held == {r.value for r in Role}
    # The demo's API account acts as a person record of its own: no role, never logs in.
    systems = User.objects.filter(api_account__isnull=False)
    assert systems.exists()
    assert not systems.filter(role_assignments__isnull=False).exists()
    assert not systems.filter(is_active=True).exists()
    assert User.objects.get(username="jimukyoku").check_password(DEMO_PASSWORD)
    from django.utils import timezone

    from kyokan.apps.core.japanese_dates import fiscal_year_of

    fy = fiscal_year_of(timezone.localdate())
    assert list(FiscalYear.objects.values_list("year", flat=True)) == list(range(fy - 5, fy + 6))
    promoters = User.objects.filter(role_assignments__role=Role.PROMOTER)
    bureaus = Department.objects.filter(parent__isnull=True)
    assert promoters.count() == bureaus.count()
    assert audit_verify().ok


@pytest.mark.parametrize("today", ["2026-12-01", "2027-03-28", "2026-04-01", "2026-12-29"])
def test_the_demo_timeline_never_contradicts_the_calendar(today):
    from datetime import date

    from kyokan.apps.core import japanese_dates
    from kyokan.apps.core.demo import demo_timeline

    timeline = demo_timeline(date.fromisoformat(today))
    closed = {c: "点検" for c in timeline.closed}
    for offset in (-400, -90, -21, -1, 0, 1, 30, 75, 120):
        day = timeline.day(offset)
        assert japanese_dates.is_business_day(day, extra_closed=closed), (offset, day)
        if offset < 0:
            assert day < timeline.today
        else:
            assert day >= timeline.today
    assert timeline.at(-1, 14).date() < timeline.today
    assert timeline.fiscal_year in timeline.fiscal_years


@pytest.mark.django_db(transaction=True)
def test_demo_command_refuses_a_full_database_and_resets(capsys):
    # A database with someone in it (one person, not a whole demo city: the demo is
    # loaded once here, by the reset; test_demo_city_has_every_role… loads it on empty).
    UserFactory(username="shimin", full_name="変更済み")
    with pytest.raises(CommandError, match="not empty"):
        call_command("demo")
    call_command("demo", "--if-empty")
    assert "already has data" in capsys.readouterr().out
    assert User.objects.get(username="shimin").full_name == "変更済み"
    call_command("demo", "--reset")
    assert "jimukyoku" in capsys.readouterr().out
    assert User.objects.get(username="shimin").full_name != "変更済み"
    assert audit_verify().ok
    call_command("demo", "--if-empty")
    out = capsys.readouterr().out
    assert "already has data" in out and "jimukyoku" in out


PRODUCTION_KEY = "x" * 30 + "-production-only-test-key-0123456789"
AUDIT_KEY = "audit-key-for-the-production-test-0123456789"


def _clean_env() -> dict:
    # The browser tests' async switch must not leak into the commands run here.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _kyokan(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "kyokan", *args],
        env={**_clean_env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_in_production(tmp_path):
    result = _kyokan(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        KYOKAN_ENV="production",
        KYOKAN_SECRET_KEY=PRODUCTION_KEY,
        KYOKAN_AUDIT_KEY=AUDIT_KEY,
        KYOKAN_ALLOWED_HOSTS="kyokan.example.jp",
        KYOKAN_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in _clean_env().items() if k != "KYOKAN_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "kyokan", "check"],
        env={**env, "KYOKAN_ENV": "production", "KYOKAN_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "KYOKAN_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("secret", "audit", "message"),
    [
        ("k" * 60, AUDIT_KEY, "KYOKAN_SECRET_KEY is too weak"),  # long, one character
        ("short-but-random-Ab3", AUDIT_KEY, "KYOKAN_SECRET_KEY is too weak"),
        (PRODUCTION_KEY, "", "KYOKAN_AUDIT_KEY must be set"),
        (PRODUCTION_KEY, "too-short-audit-key", "KYOKAN_AUDIT_KEY is too weak"),
        (PRODUCTION_KEY, PRODUCTION_KEY, "must differ"),
    ],
)
def test_production_refuses_weak_or_shared_keys(tmp_path, secret, audit, message):
    result = _kyokan(
        "check",
        KYOKAN_ENV="production",
        KYOKAN_SECRET_KEY=secret,
        KYOKAN_AUDIT_KEY=audit,
        KYOKAN_ALLOWED_HOSTS="kyokan.example.jp",
        KYOKAN_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_audit_verify_command_through_the_cli(capsys, monkeypatch, sysadmin):
    """`kyokan audit-verify` (with a hyphen) reaches the audit_verify command. In-process
    on the test database (a subprocess had to migrate a database of its own first, 30–40 s;
    .ci/production-stack runs the installed command on PostgreSQL)."""
    from django.db import connections

    from kyokan import cli
    from kyokan.apps.core import services

    services.fiscal_year_create(actor=sysadmin, year=2024, note="監査の確認")
    # A command run from the command line closes every connection when it ends, which on
    # PostgreSQL would close the test's own transaction under it.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    cli.main(["audit-verify"])
    out = capsys.readouterr().out
    newest = AuditEvent.objects.order_by("-id").first()
    assert "intact" in out
    assert f"head: #{newest.pk} {newest.hash}" in out


@pytest.mark.django_db
def test_create_admin_command(monkeypatch, capsys):
    monkeypatch.setenv("KYOKAN_ADMIN_PASSWORD", "Hikari-no-Admin-2026")
    call_command("create_admin", "cityadmin", "--full-name", "管理 太郎")
    admin = User.objects.get(username="cityadmin")
    assert admin.has_perm("core.manage_people")
    assert admin.check_password("Hikari-no-Admin-2026")
    monkeypatch.setenv("KYOKAN_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_admin", "weak", "--full-name", "弱い 人")
    assert not User.objects.filter(username="weak").exists()


def test_sqlite_runs_in_wal_mode(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}",
        "KYOKAN_DATA_DIR": str(tmp_path),
    }
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode')\n"
        "    print(c.fetchone()[0])"
    )
    result = _kyokan("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"
