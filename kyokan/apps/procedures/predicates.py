"""Who may change a procedure: a 推進員 keeps the procedures of the bureau they promote DX
in (the procedure's division belongs to it)."""

import rules

from kyokan.apps.portfolio.predicates import promoted_bureaus


@rules.predicate
def promotes_its_department(user, procedure) -> bool:
    if procedure is None or procedure.department_id is None:
        return False
    bureaus = promoted_bureaus(user)
    if not bureaus:
        return False
    department = procedure.department
    return department.pk in bureaus or department.parent_id in bureaus


@rules.predicate
def owns_import(user, record) -> bool:
    return record is not None and record.owner_id == user.pk
