"""What the public may see of the procedure inventory (for the portal and open data): each
procedure's name, legal basis, whether it can be done online and the planned year, and the
online rates. Nothing of the city's internal work (notes, burden estimates, redesigns in
progress, the people who edit) is read here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from . import codes, selectors
from .models import Origin, Procedure

PUBLIC_FIELDS = (
    "procedure_id", "name", "law_name", "article", "online_status", "planned_online_year",
    "total_count", "online_count",
)  # fmt: skip


def public_procedures() -> QuerySet[Procedure]:
    """The city's inventory (the procedures it carries out, and its own), public columns only,
    as (field → value) dictionaries in 手続ID order."""
    return (
        Procedure.objects.filter(Q(is_municipal=True) | Q(origin=Origin.CITY))
        .order_by("procedure_id")
        .values(*PUBLIC_FIELDS, "department__name")
    )


def online_status_label(code: str) -> str:
    return dict(codes.choices(codes.ONLINE_STATUS)).get(code, "")


def public_summary() -> dict:
    """The inventory's online rates, by procedures and by cases, overall and by year."""
    qs = Procedure.objects.filter(Q(is_municipal=True) | Q(origin=Origin.CITY))
    total = selectors.totals(qs)
    return {
        "procedures": total.n,
        "online": total.n_online,
        "rate_procedures": total.rate_procedures,
        "rate_cases": total.rate_cases,
        "years": [
            {"fiscal_year": r.key, "rate_procedures": r.rate_procedures, "rate_cases": r.rate_cases}
            for r in selectors.progress(qs)
        ],
    }
