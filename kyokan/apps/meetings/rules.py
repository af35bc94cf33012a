"""Permissions of the meetings app; tests/meetings/test_rules.py lists them for every role.

City staff see every meeting (the headquarters' work is open inside the city hall); experts
see only the meetings they are invited to; citizens see none. The secretariat runs them.
"""

import rules

from kyokan.apps.core.predicates import is_city_staff, is_expert, is_secretariat

from .predicates import is_invited, is_own_invitation, owns_action

rules.add_perm("meetings.view_meetings", is_city_staff | is_expert)
rules.add_perm("meetings.view_all_meetings", is_city_staff)
rules.add_perm("meetings.view_meeting", is_city_staff | (is_expert & is_invited))
rules.add_perm("meetings.manage_meetings", is_secretariat)
rules.add_perm("meetings.answer_poll", is_own_invitation)
rules.add_perm("meetings.complete_action", is_secretariat | owns_action)
rules.add_perm("meetings.view_knowledge", is_city_staff)
rules.add_perm("meetings.view_training", is_city_staff)
rules.add_perm("meetings.assess_skills", is_own_invitation)
