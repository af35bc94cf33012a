"""Permissions of the deliberation app; tests/deliberation/test_rules.py lists them for every
role.

City staff (the headquarters members, 推進員 and 職員 included) read ideas, propose, comment,
support, follow and report; the author edits their idea while it is 提案; the secretariat
moves ideas along their path, answers, publishes them to the portal, links study-group
sessions and moderates. Citizens propose through the public form (no account needed) and
read what the secretariat made public. Conversations: the secretariat runs them, city staff
take part in open ones and read their reports.
"""

import rules

from kyokan.apps.core.predicates import is_city_staff, is_secretariat

from .predicates import (
    conversation_is_not_draft,
    conversation_is_open,
    idea_is_open_for_edits,
    idea_is_visible,
    is_idea_author,
)

rules.add_perm("deliberation.view_ideas", is_city_staff)
rules.add_perm(
    "deliberation.view_idea", is_secretariat | (is_city_staff & (idea_is_visible | is_idea_author))
)
rules.add_perm("deliberation.propose_idea", is_city_staff)
rules.add_perm(
    "deliberation.edit_idea",
    is_secretariat | (is_city_staff & is_idea_author & idea_is_open_for_edits),
)
rules.add_perm("deliberation.take_part_in_idea", is_city_staff & idea_is_visible)
rules.add_perm("deliberation.manage_ideas", is_secretariat)
rules.add_perm("deliberation.moderate", is_secretariat)
rules.add_perm("deliberation.report_content", is_city_staff)
rules.add_perm("deliberation.view_conversations", is_city_staff)
rules.add_perm(
    "deliberation.view_conversation", is_secretariat | (is_city_staff & conversation_is_not_draft)
)
rules.add_perm("deliberation.vote", is_city_staff & conversation_is_open)
rules.add_perm("deliberation.manage_conversations", is_secretariat)
