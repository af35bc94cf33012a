"""Permissions of the portfolio app; tests/portfolio/test_rules.py lists them for every role.

The secretariat manages every initiative; a 推進員 keeps (edits, reports on) only their
bureau's; the headquarters members read everything and comment on reports; city staff read.
"""

import rules

from kyokan.apps.core.predicates import is_city_staff, is_hq_member, is_promoter, is_secretariat

from .predicates import owns_import, promotes_its_bureau

rules.add_perm("portfolio.view_portfolio", is_city_staff)
rules.add_perm("portfolio.manage_portfolio", is_secretariat)
rules.add_perm("portfolio.create_initiative", is_secretariat | is_promoter)
rules.add_perm("portfolio.edit_initiative", is_secretariat | promotes_its_bureau)
rules.add_perm("portfolio.report_progress", is_secretariat | promotes_its_bureau)
rules.add_perm("portfolio.review_reports", is_secretariat)
rules.add_perm("portfolio.comment_reports", is_secretariat | is_hq_member)
rules.add_perm("portfolio.import_portfolio", is_secretariat | is_promoter)
rules.add_perm("portfolio.use_import", (is_secretariat | is_promoter) & owns_import)
