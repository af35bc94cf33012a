"""The portfolio as a whole: analytics, budget, the future vision and roadmap, and the
DX取組方針 draft."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require
from kyokan.apps.core.japanese_dates import fiscal_year_label, wareki_date
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import act, confirm_page, submit

from .. import charts, costvalue, periods, selectors, services
from ..forms import FilterForm, NewStepForm, PolicyForm, StepForm
from ..models import Scope, VisionStep
from .common import step_obj


def _fiscal_year(request) -> int:
    years = selectors.fiscal_years()
    current, _q = periods.quarter_of(timezone.localdate())
    try:
        fy = int(request.GET.get("fiscal_year") or current)
    except ValueError:
        fy = current
    if years and fy not in years:
        fy = current if current in years else years[-1]
    return fy


@require("portfolio.view_portfolio")
def analytics(request):
    form = FilterForm(request.GET or None, with_status=False)
    filters = form.filters()
    fy = filters.get("fiscal_year") or _fiscal_year(request)
    data = selectors.analytics(selectors.initiatives(**filters), fiscal_year=fy)
    off_target = paginate(request, data["off_target"])
    balance_labels = [f"{b['scope'].label}・{b['dx']}" for b in data["balance"]]
    lever_rows = [
        (_("rule (条例・規則・要綱…)"), data["levers"]["rule"]),
        (_("organisation"), data["levers"]["organisation"]),
        (_("budget"), data["levers"]["budget"]),
        (_("no lever (tools only)"), data["levers"]["none"]),
    ]
    points = [
        (
            costvalue.yen(r.cv.annual_cost),
            costvalue.yen(r.cv.annual_value),
            r.initial_cost_yen,
            r.title,
        )
        for r in data["ranking"]
    ]
    context = {
        "form": form,
        "fiscal_year": fy,
        "data": data,
        "lever_rows": lever_rows,
        "ranking": data["ranking"][:50],
        "off_target": off_target,
        "balance_chart": charts.bar_chart(
            balance_labels,
            [b["n"] for b in data["balance"]],
            uid="balance",
            description=_("Bar chart of the initiatives by 改善/変革 and D/X"),
        ),
        "lever_chart": charts.bar_chart(
            [str(label) for label, _n in lever_rows],
            [n for _label, n in lever_rows],
            uid="levers",
            description=_("Bar chart of how many initiatives change each lever"),
        ),
        "bubble_chart": charts.bubble_chart(
            points,
            uid="bubble",
            description=_(
                "Bubble chart of annual cost against annual value (10,000 yen); "
                "bubble size: initial cost"
            ),
            x_label=_("annual cost (10,000 yen)"),
            y_label=_("annual value (10,000 yen)"),
        ),
        "scopes": Scope.choices,
    }
    return render(request, "portfolio/analytics.html", context)


@require("portfolio.view_portfolio")
def budget(request):
    fy = _fiscal_year(request)
    return render(
        request,
        "portfolio/budget.html",
        {
            "fiscal_year": fy,
            "years": selectors.fiscal_years(),
            "view": selectors.budget_view(fy),
        },
    )


def _year_lines(fy: int) -> list[str]:
    lang = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    return [fiscal_year_label(fy, lang=lang, with_western=False), f"({fy})"]


@require("portfolio.view_portfolio")
def roadmap(request):
    form = FilterForm(request.GET or None)
    filters = form.filters()
    data = selectors.roadmap(selectors.initiatives(**filters))
    lang = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    reached, planned = _("reached"), _("planned")

    def milestone_title(m) -> str:
        state = reached if m.done else planned
        return f"{m.title}（{wareki_date(m.due_on, lang=lang)}、{state}）"

    svg = charts.roadmap_svg(
        years=data["years"],
        groups=data["groups"],
        steps=data["steps"],
        year_label=_year_lines,
        description=_(
            "Roadmap of the initiatives by fiscal year and pillar, with their milestones"
        ),
        milestone_title=milestone_title,
        legend={"reached": _("milestone reached"), "planned": _("milestone planned")}
        if data["milestone_count"]
        else None,
    )
    return render(request, "portfolio/roadmap.html", {"form": form, "svg": svg, **data})


@require("portfolio.manage_portfolio")
@require_http_methods(["GET", "POST"])
def step_create(request):
    return submit_once(
        request,
        NewStepForm(request.POST or None),
        save=lambda data: services.step_create(actor=request.user, **data),
        success=_("The step was added to the roadmap."),
        next_url=lambda _r: reverse("portfolio:roadmap"),
        title=_("New future vision step or strategy start"),
        cancel_url=reverse("portfolio:roadmap"),
    )


@require("portfolio.manage_portfolio", obj=step_obj)
@require_http_methods(["GET", "POST"])
def step_edit(request, pk: int, obj: VisionStep):
    return submit(
        request,
        StepForm(request.POST or None, instance=obj),
        save=lambda data: services.step_update(actor=request.user, step=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: reverse("portfolio:roadmap"),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=reverse("portfolio:roadmap"),
    )


@require("portfolio.manage_portfolio", obj=step_obj)
@require_http_methods(["GET", "POST"])
def step_delete(request, pk: int, obj: VisionStep):
    back = reverse("portfolio:roadmap")
    if request.method == "POST":
        return act(
            request,
            lambda: services.step_delete(actor=request.user, step=obj),
            success=_("The step was removed."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Remove %(name)s") % {"name": obj},
        message=_("It is removed from the roadmap."),
        submit_label=_("Remove"),
        danger=True,
        cancel_url=back,
    )


@require("portfolio.manage_portfolio")
@require_http_methods(["GET", "POST"])
def policy_generate(request):
    current, _q = periods.quarter_of(timezone.localdate())
    return submit(
        request,
        PolicyForm(request.POST or None, initial={"fiscal_year": current}),
        save=lambda data: services.policy_draft_generate(
            actor=request.user, fiscal_year=data["fiscal_year"]
        ),
        success=_("The draft of the DX取組方針 was generated as a new draft version."),
        next_url=lambda version: reverse("documents:version", args=[version.pk]),
        title=_("Generate the DX取組方針 draft"),
        intro=_(
            "A new draft version of the 「DX取組方針」 document is composed from the portfolio: "
            "purpose, priority goals, initiatives by pillar with their levers and citizen "
            "value, budget, expected value and schedule. It then goes through consultation "
            "and adoption in Documents; an adopted version is never changed."
        ),
        submit_label=_("Generate the draft"),
        cancel_url=reverse("portfolio:list"),
    )


urlpatterns = [
    path("portfolio/analytics/", analytics, name="analytics"),
    path("portfolio/budget/", budget, name="budget"),
    path("portfolio/roadmap/", roadmap, name="roadmap"),
    path("portfolio/steps/new/", step_create, name="step_create"),
    path("portfolio/steps/<int:pk>/edit/", step_edit, name="step_edit"),
    path("portfolio/steps/<int:pk>/delete/", step_delete, name="step_delete"),
    path("portfolio/policy/", policy_generate, name="policy"),
]
