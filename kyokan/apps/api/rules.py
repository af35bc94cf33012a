"""Permissions of the api app: the system administrator manages the system accounts
(tests/api/test_rules.py lists them for every role). The API's own operations are not
Django views with a permission: reads are public data, writes need a token."""

import rules

from kyokan.apps.core.predicates import is_sysadmin

rules.add_perm("api.manage_accounts", is_sysadmin)
