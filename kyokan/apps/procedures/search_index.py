"""What the procedures put in the site search (core.search): the city's inventory — the
procedures the municipality carries out and its own — by name, legal basis and attachments,
found by city staff. The whole national file (75,000 procedures) is searched on the
inventory's own list instead (its folded ``search_text`` column)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.search import SearchKind, index_rebuild, register_search_kind

from .models import Origin, Procedure

PROCEDURES = "procedures.procedure"


def _source():
    before, after = reverse("procedures:detail", args=[0]).rsplit("0", 1)
    qs = Procedure.objects.filter(Q(is_municipal=True) | Q(origin=Origin.CITY)).only(
        "name", "law_name", "article", "attachments"
    )
    for p in qs.order_by("id").iterator(2000):
        body = "\n".join(x for x in (p.law_name, p.article, p.attachments) if x)
        yield p.pk, p.name, body, f"{before}{p.pk}{after}"


def reindex() -> int:
    return index_rebuild(kinds=[PROCEDURES]).get(PROCEDURES, 0)


def register() -> None:
    register_search_kind(
        SearchKind(PROCEDURES, _("Procedures"), "procedures.view_procedures", source=_source,
                   order=35)
    )  # fmt: skip
