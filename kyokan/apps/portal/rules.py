"""Permissions of the portal app; tests/portal/test_rules.py lists them for every role.

Everyone (signed in or not) reads the portal; only the secretariat keeps the reading
dictionary (the readings of the city's own place and person names)."""

import rules

from kyokan.apps.core.predicates import is_secretariat

rules.add_perm("portal.manage_readings", is_secretariat)
