"""Permissions of the surveys app; tests/surveys/test_rules.py lists them for every role.

The secretariat runs surveys; the secretariat and the headquarters members read results
(the point is to see how far understanding is shared); city staff see the surveys addressed
to them and answer them (answering itself is checked against the survey's audience)."""

import rules

from kyokan.apps.core.predicates import is_city_staff, is_hq_member, is_secretariat

rules.add_perm("surveys.view_surveys", is_city_staff)
rules.add_perm("surveys.manage_surveys", is_secretariat)
rules.add_perm("surveys.view_results", is_secretariat | is_hq_member)
