"""Permissions of the procedure inventory; tests/procedures/test_rules.py lists them for
every role. City staff read the inventory and its analysis; the secretariat imports files
and keeps every procedure; a 推進員 keeps (edits, redesigns, links) their bureau's."""

import rules

from kyokan.apps.core.predicates import is_city_staff, is_secretariat

from .predicates import owns_import, promotes_its_department

rules.add_perm("procedures.view_procedures", is_city_staff)
rules.add_perm("procedures.import_procedures", is_secretariat)
rules.add_perm("procedures.use_import", is_secretariat & owns_import)
rules.add_perm("procedures.edit_procedure", is_secretariat | promotes_its_department)
