"""Permissions of the core app. Each is tested for every role in tests/core/test_rules_*.py."""

import rules

from .predicates import (
    is_city_staff,
    is_export_owner,
    is_secretariat,
    is_self,
    is_signed_in,
    is_sysadmin,
)

rules.add_perm("core.use_app", is_signed_in)
rules.add_perm("core.view_people", is_city_staff)
rules.add_perm("core.view_person", is_city_staff | is_self)
rules.add_perm("core.manage_people", is_sysadmin)
rules.add_perm("core.view_departments", is_city_staff)
rules.add_perm("core.manage_departments", is_sysadmin)
rules.add_perm("core.view_municipality", is_secretariat | is_sysadmin)
rules.add_perm("core.change_municipality", is_sysadmin)
rules.add_perm("core.view_calendar", is_city_staff)
rules.add_perm("core.manage_calendar", is_secretariat | is_sysadmin)
rules.add_perm("core.view_audit", is_secretariat | is_sysadmin)
rules.add_perm("core.view_export", is_export_owner)
rules.add_perm("core.view_notifications", is_signed_in)
rules.add_perm("core.view_outbox", is_secretariat | is_sysadmin)
rules.add_perm("core.import_staff", is_sysadmin)
