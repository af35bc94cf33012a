"""Initiatives: the list, the page with its cost-value working, editing, levers, links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core import exports
from kyokan.apps.core.access import require
from kyokan.apps.core.exports import clean_text
from kyokan.apps.core.links import link_type, link_types
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import act, confirm_page, safe_next, submit

from .. import selectors, services, table
from ..forms import (
    BudgetForm,
    CostValueForm,
    FilterForm,
    InitiativeForm,
    NewInitiativeForm,
    NewMilestoneForm,
    StatusForm,
)
from ..models import Initiative, InitiativeLink, Milestone, StrategyLink
from .common import initiative_obj, link_obj, milestone_obj, strategy_link_obj


def _filtered(request, *, with_status=True):
    form = FilterForm(request.GET or None, with_status=with_status)
    filters = form.filters()
    qs = selectors.initiatives(**filters)
    return form, filters, qs


@require("portfolio.view_portfolio")
def initiative_list(request):
    form, _filters, qs = _filtered(request)
    page = paginate(request, qs)
    selectors.with_cost_value(list(page.object_list))
    return render(
        request,
        "portfolio/partials/initiative_results.html"
        if request.htmx
        else "portfolio/initiative_list.html",
        {"form": form, "page": page, "results_id": "initiative-results"},
    )


@require("portfolio.create_initiative")
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    initial = {}
    bureaus = sorted(selectors.promoted_bureaus(request.user))
    if bureaus:
        initial["bureau"] = bureaus[0]
    form = NewInitiativeForm(request.POST or None, user=request.user, initial=initial)
    return submit_once(
        request,
        form,
        save=lambda _data: services.initiative_create(actor=request.user, **form.service_data()),
        success=_("The initiative was created."),
        next_url=lambda i: i.get_absolute_url(),
        title=_("New initiative"),
        intro=_(
            "Say which rule, organisation and budget change the initiative makes (or 「なし」) "
            "and what changes for citizens."
        ),
        cancel_url=reverse("portfolio:list"),
    )


@require("portfolio.view_portfolio", obj=initiative_obj)
def initiative_detail(request, pk: int, obj: Initiative):
    context = selectors.initiative_detail(obj)
    # The actions shown are the ones this person may take on this initiative.
    context["can_edit"] = request.user.has_perm("portfolio.edit_initiative", obj)
    context["can_report"] = request.user.has_perm("portfolio.report_progress", obj)
    return render(request, "portfolio/initiative_detail.html", {"initiative": obj, **context})


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk: int, obj: Initiative):
    form = InitiativeForm(request.POST or None, instance=obj, user=request.user)
    return submit(
        request,
        form,
        save=lambda _data: services.initiative_update(
            actor=request.user, initiative=obj, **form.service_data()
        ),
        success=_("The changes were saved."),
        next_url=lambda _r: obj.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=obj.get_absolute_url(),
    )


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def initiative_status(request, pk: int, obj: Initiative):
    form = StatusForm(
        request.POST or None, initial={"status": obj.status, "reason": obj.stop_reason}
    )
    return submit(
        request,
        form,
        save=lambda data: services.initiative_set_status(
            actor=request.user, initiative=obj, status=data["status"], reason=data["reason"]
        ),
        success=_("The status was changed."),
        next_url=lambda _r: obj.get_absolute_url(),
        title=_("Status of %(name)s") % {"name": obj},
        intro=_("構想 → 計画 → 実施中 → 完了, or 中止 with its reason."),
        cancel_url=obj.get_absolute_url(),
    )


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def cost_value_edit(request, pk: int, obj: Initiative):
    form = CostValueForm(request.POST or None, instance=obj)
    return submit(
        request,
        form,
        save=lambda _data: services.cost_value_save(
            actor=request.user, initiative=obj, **form.service_data()
        ),
        success=_("The cost and value were saved."),
        next_url=lambda _r: obj.get_absolute_url() + "#cost-value",
        title=_("Cost and value of %(name)s") % {"name": obj},
        intro=_(
            "Whole yen, hours and minutes. Give a low and a high estimate for an uncertain "
            "input; say where each number comes from."
        ),
        cancel_url=obj.get_absolute_url() + "#cost-value",
    )


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def initiative_delete(request, pk: int, obj: Initiative):
    if request.method == "POST":
        return act(
            request,
            lambda: services.initiative_delete(actor=request.user, initiative=obj),
            success=_("The initiative was deleted."),
            next_url=reverse("portfolio:list"),
            error_url=obj.get_absolute_url(),
        )
    return confirm_page(
        request,
        title=_("Delete %(name)s") % {"name": obj},
        message=_("Its KPIs, reports and budget lines are deleted too. Consider 中止 instead."),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=obj.get_absolute_url(),
    )


# --- budget and milestones ----------------------------------------------------------------


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk: int, obj: Initiative):
    current = {b.fiscal_year: b for b in obj.budgets.all()}
    year = request.GET.get("fiscal_year") or (
        request.POST.get("fiscal_year") if request.POST else None
    )
    line = current.get(int(year)) if year and str(year).isdigit() else None
    initial = {"fiscal_year": int(year)} if line else {}
    if line:
        initial.update(
            requested_yen=line.requested_yen,
            approved_yen=line.approved_yen,
            executed_yen=line.executed_yen,
        )
    form = BudgetForm(request.POST or None, initiative=obj, initial=initial)
    return submit(
        request,
        form,
        save=lambda data: services.budget_set(actor=request.user, initiative=obj, **data),
        success=_("The budget was saved."),
        next_url=lambda _r: obj.get_absolute_url() + "#budget",
        title=_("Budget of %(name)s") % {"name": obj},
        intro=_("Requested (要求), approved (査定) and executed (執行) amounts in yen."),
        cancel_url=obj.get_absolute_url() + "#budget",
    )


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def milestone_create(request, pk: int, obj: Initiative):
    return submit_once(
        request,
        NewMilestoneForm(request.POST or None),
        save=lambda data: services.milestone_create(actor=request.user, initiative=obj, **data),
        success=_("The milestone was added."),
        next_url=lambda _r: obj.get_absolute_url() + "#milestones",
        title=_("New milestone of %(name)s") % {"name": obj},
        cancel_url=obj.get_absolute_url(),
    )


@require("portfolio.edit_initiative", obj=milestone_obj)
@require_POST
def milestone_delete(request, pk: int, obj: Milestone):
    services.milestone_delete(actor=request.user, milestone=obj)
    messages.success(request, _("The milestone was removed."))
    return redirect(obj.initiative.get_absolute_url() + "#milestones")


# --- links ----------------------------------------------------------------------------------


@require("portfolio.edit_initiative", obj=initiative_obj)
@require_http_methods(["GET", "POST"])
def initiative_links(request, pk: int, obj: Initiative):
    """Link meetings, documents (and later ideas, procedures) to the initiative."""
    types = [t for t in link_types() if t.key != "portfolio.initiative"]
    chosen = link_type(request.GET.get("type", "")) if request.GET.get("type") else None
    query = clean_text(request.GET.get("q", "")).strip()[:100]
    if request.method == "POST":
        kind = link_type(request.POST.get("type", ""))
        target_id = request.POST.get("target_id", "")
        typed = clean_text(request.POST.get("q", "")).strip()[:100]
        matches = dict(kind.search(typed, request.user)) if kind else {}
        if target_id not in matches:
            messages.error(request, _("Choose an object from the search results."))
        else:
            try:
                services.link_add(
                    actor=request.user,
                    initiative=obj,
                    target_type=kind.key,
                    target_id=target_id,
                    label=matches[target_id],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The link was added."))
        # Back to the search; an address too long to redirect to keeps only the path.
        return redirect(safe_next(request, request.get_full_path(), request.path))
    results = chosen.search(query, request.user) if chosen else []
    return render(
        request,
        "portfolio/initiative_links.html",
        {
            "initiative": obj,
            "types": types,
            "chosen": chosen,
            "query": query,
            "results": results,
            "links": obj.links.all(),
        },
    )


@require("portfolio.edit_initiative", obj=link_obj)
@require_POST
def link_remove(request, pk: int, obj: InitiativeLink):
    services.link_remove(actor=request.user, link=obj)
    messages.success(request, _("The link was removed."))
    return redirect("portfolio:links", pk=obj.initiative_id)


@require("portfolio.edit_initiative", obj=strategy_link_obj)
@require_POST
def strategy_link_review(request, pk: int, obj: StrategyLink):
    """Confirm a flagged strategy link against the current section, or remove it."""
    status = selectors.strategy_link_statuses([obj])[0]
    if request.POST.get("remove") or status.section is None:
        services.strategy_link_remove(actor=request.user, link=obj)
        messages.success(request, _("The link to the strategy was removed."))
    else:
        services.strategy_link_confirm(actor=request.user, link=obj, section=status.section)
        messages.success(request, _("The link now points to the adopted strategy's section."))
    return redirect(obj.initiative.get_absolute_url())


# --- the table: CSV and Excel -----------------------------------------------------------------


def _export_rows(request):
    _form, _filters, qs = _filtered(request)
    return selectors.table_rows(qs.select_related("bureau", "division"))


@require("portfolio.view_portfolio")
def export_csv(request):
    rows = (table.row_of(i) for i in _export_rows(request))
    return exports.csv_response("portfolio.csv", table.header(), rows)


@require("portfolio.view_portfolio")
def export_xlsx(request):
    rows = (table.row_of(i) for i in _export_rows(request))
    sheet = exports.Sheet(title=_("取組"), header=table.header(), rows=rows)
    return exports.xlsx_response("portfolio.xlsx", [sheet])


urlpatterns = [
    path("portfolio/", initiative_list, name="list"),
    path("portfolio/new/", initiative_create, name="create"),
    path("portfolio/export.csv", export_csv, name="export_csv"),
    path("portfolio/export.xlsx", export_xlsx, name="export_xlsx"),
    path("portfolio/<int:pk>/", initiative_detail, name="detail"),
    path("portfolio/<int:pk>/edit/", initiative_edit, name="edit"),
    path("portfolio/<int:pk>/status/", initiative_status, name="status"),
    path("portfolio/<int:pk>/cost-value/", cost_value_edit, name="cost_value"),
    path("portfolio/<int:pk>/delete/", initiative_delete, name="delete"),
    path("portfolio/<int:pk>/budget/", budget_edit, name="budget_edit"),
    path("portfolio/<int:pk>/milestones/new/", milestone_create, name="milestone_create"),
    path("portfolio/milestones/<int:pk>/delete/", milestone_delete, name="milestone_delete"),
    path("portfolio/<int:pk>/links/", initiative_links, name="links"),
    path("portfolio/links/<int:pk>/remove/", link_remove, name="link_remove"),
    path(
        "portfolio/strategy-links/<int:pk>/review/",
        strategy_link_review,
        name="strategy_link_review",
    ),
]
