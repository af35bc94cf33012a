"""KPIs, priority goals and the quarterly progress cycle."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core.access import require
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import submit

from .. import periods, selectors, services
from ..forms import (
    ActualForm,
    CommentForm,
    GoalForm,
    KpiForm,
    NewGoalForm,
    ReportForm,
    ReviewForm,
)
from ..models import Initiative, Kpi, PriorityGoal, ProgressReport
from .common import goal_obj, initiative_obj, kpi_obj, report_obj

# --- KPIs -------------------------------------------------------------------------------------


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def kpi_create(request, pk: int, obj: Initiative):
    form = KpiForm(request.POST or None, initiative=obj)
    return submit(
        request,
        form,
        save=lambda _data: services.kpi_create(
            actor=request.user, initiative=obj, **form.service_data()
        ),
        success=_("The KPI was added."),
        next_url=lambda _r: obj.get_absolute_url() + "#kpis",
        title=_("New KPI of %(name)s") % {"name": obj},
        intro=_("Targets can be set only for the initiative's fiscal years."),
        cancel_url=obj.get_absolute_url() + "#kpis",
    )


@require("portfolio.edit_initiative", obj=kpi_obj)
@require_http_methods(["GET", "POST"])
def kpi_edit(request, pk: int, obj: Kpi):
    form = KpiForm(request.POST or None, instance=obj, initiative=obj.initiative)
    back = obj.initiative.get_absolute_url() + "#kpis"
    return submit(
        request,
        form,
        save=lambda _data: services.kpi_update(actor=request.user, kpi=obj, **form.service_data()),
        success=_("The changes were saved."),
        next_url=lambda _r: back,
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=back,
    )


@require("portfolio.edit_initiative", obj=kpi_obj)
@require_http_methods(["GET", "POST"])
def kpi_actual(request, pk: int, obj: Kpi):
    fy, _q = periods.quarter_of(timezone.localdate())
    back = obj.initiative.get_absolute_url() + "#kpis"
    return submit(
        request,
        ActualForm(request.POST or None, initial={"fiscal_year": fy}),
        save=lambda data: services.kpi_actual_record(actor=request.user, kpi=obj, **data),
        success=_("The actual was recorded."),
        next_url=lambda _r: back,
        title=_("Actual of %(name)s") % {"name": obj},
        cancel_url=back,
    )


# --- priority goals -------------------------------------------------------------------------


@require("portfolio.view_portfolio")
def goal_list(request):
    years = selectors.fiscal_years()
    current, _q = periods.quarter_of(timezone.localdate())
    try:
        fiscal_year = int(request.GET.get("fiscal_year", current))
    except ValueError:
        fiscal_year = current
    if years and fiscal_year not in years:
        fiscal_year = current if current in years else years[-1]
    return render(
        request,
        "portfolio/goals.html",
        {
            "goals": selectors.goals(fiscal_year),
            "fiscal_year": fiscal_year,
            "years": years,
            "rule": selectors.KPI_RULE,
        },
    )


@require("portfolio.manage_portfolio")
@require_http_methods(["GET", "POST"])
def goal_create(request):
    form = NewGoalForm(request.POST or None)
    return submit_once(
        request,
        form,
        save=lambda _data: services.goal_create(actor=request.user, **form.service_data()),
        success=_("The priority goal was created."),
        next_url=lambda g: reverse("portfolio:goals") + f"?fiscal_year={g.fiscal_year}",
        title=_("New priority goal (重点目標)"),
        cancel_url=reverse("portfolio:goals"),
    )


@require("portfolio.manage_portfolio", obj=goal_obj)
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk: int, obj: PriorityGoal):
    form = GoalForm(request.POST or None, instance=obj)
    back = reverse("portfolio:goals") + f"?fiscal_year={obj.fiscal_year}"
    return submit(
        request,
        form,
        save=lambda _data: services.goal_update(
            actor=request.user, goal=obj, **form.service_data()
        ),
        success=_("The changes were saved."),
        next_url=lambda _r: back,
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=back,
    )


# --- progress reports ---------------------------------------------------------------------------


def open_periods(initiative: Initiative, today) -> list[tuple[int, int]]:
    """The quarters a report can be submitted for today, within the initiative's years,
    that have no report yet (or a returned one)."""
    current = periods.quarter_of(today)
    candidates = [periods.previous_quarter(*current), current]
    taken = {
        (r.fiscal_year, r.quarter)
        for r in initiative.reports.exclude(state=ProgressReport.State.RETURNED)
    }
    return [
        (fy, q)
        for fy, q in candidates
        if periods.quarter_is_open(fy, q, today)
        and fy in initiative.fiscal_years
        and (fy, q) not in taken
    ]


@require("portfolio.report_progress", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def report_create(request, pk: int, obj: Initiative):
    today = timezone.localdate()
    choices = open_periods(obj, today)
    returned = list(obj.reports.filter(state=ProgressReport.State.RETURNED))
    choices += [
        (r.fiscal_year, r.quarter) for r in returned if (r.fiscal_year, r.quarter) not in choices
    ]
    if not choices:
        messages.error(request, _("No quarter is open for a report of this initiative."))
        return redirect(obj.get_absolute_url() + "#reports")
    kpis = obj.kpis.prefetch_related("actuals")
    last = selectors.last_report(obj)
    form = ReportForm(
        request.POST or None, initiative=obj, periods_open=choices, kpis=kpis, last=last
    )
    return submit(
        request,
        form,
        save=lambda _data: services.report_submit(
            actor=request.user, initiative=obj, **form.service_data()
        ),
        success=_("The progress report was submitted."),
        next_url=lambda r: r.get_absolute_url(),
        title=_("Progress report: %(name)s") % {"name": obj},
        intro=_("The form is filled in from the last report: change what is new."),
        cancel_url=obj.get_absolute_url() + "#reports",
        submit_label=_("Submit the report"),
    )


@require("portfolio.view_portfolio", obj=report_obj)
def report_detail(request, pk: int, obj: ProgressReport):
    return _report_page(request, obj, comment_form=CommentForm())


def _report_page(request, obj: ProgressReport, *, comment_form, status: int = 200):
    actuals = obj.initiative.kpis.filter(
        actuals__fiscal_year=obj.fiscal_year, actuals__quarter=obj.quarter
    ).values("name", "unit", "actuals__value", "actuals__source")
    return render(
        request,
        "portfolio/report_detail.html",
        {
            "report": obj,
            "initiative": obj.initiative,
            "actuals": list(actuals),
            "comments": list(obj.comments.select_related("author")),
            "review_form": ReviewForm() if obj.state == ProgressReport.State.SUBMITTED else None,
            "can_report": request.user.has_perm("portfolio.report_progress", obj.initiative),
            "comment_form": comment_form,
            "period": periods.quarter_label(obj.fiscal_year, obj.quarter),
        },
        status=status,
    )


@require("portfolio.review_reports", obj=report_obj)
@require_http_methods(["GET", "POST"])
def report_review(request, pk: int, obj: ProgressReport):
    return submit(
        request,
        ReviewForm(request.POST or None),
        save=lambda data: services.report_review(
            actor=request.user,
            report=obj,
            accept=data["decision"] == "accept",
            comment=data["comment"],
        ),
        success=_("The review was recorded."),
        next_url=lambda _r: obj.get_absolute_url(),
        title=_("Review: %(name)s") % {"name": obj},
        cancel_url=obj.get_absolute_url(),
    )


@require("portfolio.comment_reports", obj=report_obj)
@require_POST
def report_comment(request, pk: int, obj: ProgressReport):
    form = CommentForm(request.POST)
    if not form.is_valid():
        # The report's page again, with the comment as typed and what is wrong with it (a
        # redirect lost the text).
        return _report_page(request, obj, comment_form=form)
    services.report_comment_add(actor=request.user, report=obj, body=form.cleaned_data["body"])
    messages.success(request, _("The comment was posted."))
    return redirect(obj.get_absolute_url() + "#comments")


@require("portfolio.view_portfolio")
def report_list(request):
    state = request.GET.get("state", ProgressReport.State.SUBMITTED)
    if state not in ProgressReport.State.values and state != "all":
        state = ProgressReport.State.SUBMITTED
    qs = selectors.reports(state="" if state == "all" else state)
    return render(
        request,
        "portfolio/report_list.html",
        {"page": paginate(request, qs), "state": state, "states": ProgressReport.State.choices},
    )


@require("portfolio.view_portfolio")
def missing(request):
    fy, q = periods.collecting_quarter(timezone.localdate())
    mine = selectors.promoted_bureaus(request.user)
    only_mine = bool(mine) and not request.user.has_perm("portfolio.manage_portfolio")
    bureau_ids = mine if only_mine else None
    rows = selectors.missing_by_division(fy, q, bureau_ids=bureau_ids)
    page = paginate(request, selectors.missing_reports(fy, q, bureau_ids=bureau_ids))
    return render(
        request,
        "portfolio/missing.html",
        {
            "rows": rows,
            "page": page,
            "period": periods.quarter_label(fy, q),
            "deadline": periods.report_deadline(fy, q),
            "only_mine": only_mine,
            "total": page.paginator.count,
        },
    )


@require("portfolio.manage_portfolio")
@require_POST
def missing_remind(request):
    today = timezone.localdate()
    fy, q = periods.collecting_quarter(today)
    told = services.missing_reports_remind(
        actor=request.user,
        fiscal_year=fy,
        quarter=q,
        dedupe_key=f"portfolio.report_due:{fy}Q{q}:{today.isoformat()}",
    )
    messages.success(request, _("%(n)s promoters (推進員) were reminded.") % {"n": told})
    return redirect("portfolio:missing")


urlpatterns = [
    path("portfolio/<int:pk>/kpis/new/", kpi_create, name="kpi_create"),
    path("portfolio/kpis/<int:pk>/edit/", kpi_edit, name="kpi_edit"),
    path("portfolio/kpis/<int:pk>/actual/", kpi_actual, name="kpi_actual"),
    path("portfolio/goals/", goal_list, name="goals"),
    path("portfolio/goals/new/", goal_create, name="goal_create"),
    path("portfolio/goals/<int:pk>/edit/", goal_edit, name="goal_edit"),
    path("portfolio/<int:pk>/reports/new/", report_create, name="report_create"),
    path("portfolio/reports/", report_list, name="reports"),
    path("portfolio/reports/<int:pk>/", report_detail, name="report"),
    path("portfolio/reports/<int:pk>/review/", report_review, name="report_review"),
    path("portfolio/reports/<int:pk>/comment/", report_comment, name="report_comment"),
    path("portfolio/missing/", missing, name="missing"),
    path("portfolio/missing/remind/", missing_remind, name="missing_remind"),
]
