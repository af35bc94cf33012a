"""Who reads analyses (the secretariat and the headquarters members) and who runs them
(the secretariat). Listed for every role in tests/analyses/test_rules.py."""

import rules

from kyokan.apps.core.predicates import is_hq_member, is_secretariat

rules.add_perm("analyses.view_analyses", is_secretariat | is_hq_member)
rules.add_perm("analyses.run_analyses", is_secretariat)
