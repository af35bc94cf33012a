"""Excel in: upload the portfolio table or a 進捗管理表, map its columns, see the dry run,
then import all or nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require

from .. import services, table
from ..forms import ImportForm, MappingForm
from ..models import PortfolioImport


@require("portfolio.import_portfolio")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = services.import_upload(
            actor=request.user, filename=upload.name, data=upload.read()
        )
        saved = services.saved_mapping(actor=request.user)
        if saved:
            services.import_set_mapping(actor=request.user, record=record, mapping=saved)
        return redirect("portfolio:import_preview", pk=record.pk)
    return render(
        request,
        "portfolio/import_upload.html",
        {"form": form, "columns": table.COLUMNS, "progress_columns": table.PROGRESS_COLUMNS},
    )


def import_obj(pk: int, **_kwargs) -> PortfolioImport:
    return get_object_or_404(PortfolioImport, pk=pk, applied_at__isnull=True)


@require("portfolio.use_import", obj=import_obj)
@require_http_methods(["GET", "POST"])
def import_preview(request, pk: int, obj: PortfolioImport):
    record = obj
    data = bytes(record.content)
    try:
        plan, sheets = services.import_check(
            actor=request.user, data=data, filename=record.filename,
            mapping=record.mapping or None,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portfolio:import")
    headers = sheets[0].header if sheets else []
    current = record.mapping or table.default_mapping(headers)
    mapping_form = MappingForm(
        request.POST if request.POST.get("step") == "map" else None,
        headers=headers,
        initial_mapping=current,
    )
    if request.method == "POST":
        if request.POST.get("step") == "map" and mapping_form.is_valid():
            services.import_set_mapping(
                actor=request.user, record=record, mapping=mapping_form.mapping()
            )
            return redirect("portfolio:import_preview", pk=record.pk)
        if request.POST.get("step") == "apply":
            result = services.import_apply(actor=request.user, record=record)
            if result.ok:
                counts = result.counts
                messages.success(
                    request,
                    _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s "
                      "unchanged, %(kpi_actuals)s KPI actuals.") % counts,
                )  # fmt: skip
                return redirect("portfolio:list")
            plan = result
    return render(
        request,
        "portfolio/import_preview.html",
        {
            "record": record,
            "plan": plan,
            "mapping_form": mapping_form,
            "headers": headers,
            "rows": plan.rows[:200],
        },
    )


urlpatterns = [
    path("portfolio/import/", import_upload, name="import"),
    path("portfolio/import/<int:pk>/", import_preview, name="import_preview"),
]
