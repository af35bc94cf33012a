"""The portfolio's dashboard panels, "my work", navigation, linkable type, search kind,
notification kinds and the reminder to bureaus that have not reported."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel
from kyokan.apps.core.links import LinkType, register_link_type
from kyokan.apps.core.mywork import WorkItem, WorkSource, register_work
from kyokan.apps.core.notifications import register_kind, register_reminder
from kyokan.apps.core.search import SearchKind, register_search_kind

from . import periods, selectors
from .models import Initiative


def _scope(user):
    """A 推進員 (who does not manage the portfolio) sees their bureau's figures."""
    if user.has_perm("portfolio.manage_portfolio"):
        return None
    return selectors.promoted_bureaus(user) or None


def _status(user) -> dict:
    bureaus = _scope(user)
    return {"rows": selectors.status_counts(bureau_ids=bureaus), "mine": bureaus is not None}


def _missing(user) -> dict:
    bureaus = _scope(user)
    fy, q = periods.collecting_quarter(timezone.localdate())
    qs = selectors.missing_reports(fy, q, bureau_ids=bureaus)
    return {
        "initiatives": list(qs[:6]),
        "total": qs.count(),
        "period": periods.quarter_label(fy, q),
        "deadline": periods.report_deadline(fy, q),
        "mine": bureaus is not None,
    }


def _off_target(user) -> dict:
    bureaus = _scope(user)
    fy, _q = periods.quarter_of(timezone.localdate())
    ids = (
        list(Initiative.objects.filter(bureau_id__in=bureaus).values_list("pk", flat=True))
        if bureaus is not None
        else None
    )
    kpis = selectors.kpis_off_target(fy, initiative_ids=ids)
    return {"kpis": list(kpis[:6]), "total": kpis.count(), "mine": bureaus is not None}


def _balance(user) -> dict:
    bureaus = _scope(user)
    return {"b": selectors.balance_counts(bureau_ids=bureaus), "mine": bureaus is not None}


def _reports_work(user, limit: int) -> list[WorkItem]:
    bureaus = selectors.promoted_bureaus(user)
    if not bureaus:
        return []
    fy, q = periods.collecting_quarter(timezone.localdate())
    deadline = periods.report_deadline(fy, q)
    label = periods.quarter_label(fy, q)
    return [
        WorkItem(
            title=i.title,
            url=reverse("portfolio:report_create", args=[i.pk]),
            what=str(_("Progress report")),
            deadline=deadline,
            detail=label,
        )
        for i in selectors.missing_reports(fy, q, bureau_ids=bureaus)[:limit]
    ]


def _review_work(user, limit: int) -> list[WorkItem]:
    if not user.has_perm("portfolio.review_reports"):
        return []
    return [
        WorkItem(
            title=str(r.initiative),
            url=r.get_absolute_url(),
            what=str(_("Review a progress report")),
            detail=periods.quarter_label(r.fiscal_year, r.quarter),
        )
        for r in selectors.reports(state="submitted")[:limit]
    ]


def _search(query: str, user) -> list[tuple[str, str]]:
    return [(str(i.pk), i.title) for i in selectors.initiatives(q=query).order_by("title")[:20]]


def _remind(*, now) -> int:
    """Tell the bureaus' 推進員 about missing reports during the last 14 days of the
    collection period, once per quarter."""
    from . import services

    today = timezone.localtime(now).date()
    fy, q = periods.collecting_quarter(today)
    deadline = periods.report_deadline(fy, q)
    if not 0 <= (deadline - today).days <= 14:
        return 0
    return services.missing_reports_remind(
        actor=None, fiscal_year=fy, quarter=q, dedupe_key=f"portfolio.report_due:{fy}Q{q}"
    )


def register() -> None:
    register_nav(20, "portfolio:list", _("Portfolio"), "portfolio.view_portfolio")
    register_kind("portfolio.report_due", _("Progress reports due for your bureau"))
    register_kind("portfolio.report_returned", _("A progress report was returned to you"))
    register_reminder("portfolio.report_due", _remind)
    register_panel(
        Panel("portfolio.status", "portfolio/panels/status.html", "portfolio.view_portfolio",
              _status, 20)
    )  # fmt: skip
    register_panel(
        Panel("portfolio.missing", "portfolio/panels/missing.html", "portfolio.view_portfolio",
              _missing, 21)
    )  # fmt: skip
    register_panel(
        Panel("portfolio.off_target", "portfolio/panels/off_target.html",
              "portfolio.view_portfolio", _off_target, 22)
    )  # fmt: skip
    register_panel(
        Panel("portfolio.balance", "portfolio/panels/balance.html", "portfolio.view_portfolio",
              _balance, 23)
    )  # fmt: skip
    register_work(
        WorkSource("portfolio.reports", _("Progress reports to submit"),
                   "portfolio.view_portfolio", _reports_work, 20)
    )  # fmt: skip
    register_work(
        WorkSource("portfolio.review", _("Progress reports to review"),
                   "portfolio.review_reports", _review_work, 21)
    )  # fmt: skip
    register_link_type(
        LinkType(
            key="portfolio.initiative",
            label=Initiative._meta.verbose_name,
            search=_search,
            url=lambda pk: reverse("portfolio:detail", args=[pk]),
        )
    )
    register_search_kind(
        SearchKind(
            key="portfolio.initiative",
            label=_("Initiatives"),
            perm="portfolio.view_portfolio",
            source=selectors.search_entries,
            order=30,
        )
    )
