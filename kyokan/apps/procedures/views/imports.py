"""Importing: upload (the national file or the city's), the city file's column mapping, the
check in the background (a dry run: what would change), then the write on request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core.access import require
from kyokan.apps.core.japanese_dates import fiscal_year_of
from kyokan.apps.core.viewkit import apply_service_errors

from .. import importing, services
from ..forms import MappingForm, UploadForm
from ..models import ProcedureImport
from .common import import_obj

ERRORS_SHOWN = 100


def _default_year() -> int:
    from django.utils import timezone

    return fiscal_year_of(timezone.localdate()) - 1


@require("procedures.import_procedures")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None,
                      initial={"fiscal_year": _default_year()})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        kind = data["kind"]
        columns, mapping_name = {}, ""
        if kind == ProcedureImport.Kind.CITY:
            try:
                rows = importing.read_rows(content, filename=data["file"].name)
                _index, header = importing.file_header(rows)
            except ValidationError as exc:
                form.add_error("file", exc)
                return render(request, "procedures/import_upload.html", {"form": form})
            saved = data["mapping"]
            columns = importing.guess_columns(header)
            if saved is not None:
                columns.update({k: v for k, v in saved.columns.items() if v in header})
                mapping_name = saved.name
        try:
            record = services.import_start(
                actor=request.user, kind=kind, data=content, filename=data["file"].name,
                fiscal_year=data["fiscal_year"], municipal_only=data["municipal_only"],
                columns=columns, mapping_name=mapping_name,
                queue=kind == ProcedureImport.Kind.NATIONAL or bool(mapping_name),
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if record.status == ProcedureImport.Status.MAPPING:
                return redirect("procedures:import_mapping", pk=record.pk)
            return redirect("procedures:import_status", pk=record.pk)
    recent = ProcedureImport.objects.filter(owner=request.user).defer("content")[:10]
    return render(request, "procedures/import_upload.html", {"form": form, "recent": recent})


@require("procedures.use_import", obj=import_obj)
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk: int, obj: ProcedureImport):
    record = ProcedureImport.objects.get(pk=obj.pk)
    try:
        rows = importing.read_rows(bytes(record.content), filename=record.filename)
        _index, header = importing.file_header(rows)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("procedures:import")
    form = MappingForm(
        request.POST or None, header=header, initial_columns=record.columns,
        initial={"mapping_name": record.mapping_name or record.filename[:100]},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_save(
                actor=request.user, name=form.cleaned_data["mapping_name"], columns=form.columns()
            )
            services.import_remap(
                actor=request.user, record=record, columns=form.columns(),
                mapping_name=form.cleaned_data["mapping_name"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("procedures:import_status", pk=record.pk)
    return render(
        request,
        "procedures/import_mapping.html",
        {"form": form, "record": record, "header": header, "preview": rows[1:6]},
    )


def _status_context(record: ProcedureImport) -> dict:
    return {
        "record": record,
        "percent": round(record.progress * 100),
        "row_errors": [
            {"row": r, "column": c, "message": m} for r, c, m in record.errors[:ERRORS_SHOWN]
        ],
        "more_errors": record.error_count > ERRORS_SHOWN,
        "summary": record.summary,
    }


@require("procedures.use_import", obj=import_obj)
def import_status(request, pk: int, obj: ProcedureImport):
    template = (
        "procedures/partials/import_progress.html"
        if request.htmx
        else "procedures/import_status.html"
    )
    response = render(request, template, _status_context(obj))
    if request.htmx and not obj.running:
        response["HX-Refresh"] = "true"
    return response


@require("procedures.use_import", obj=import_obj)
@require_POST
def import_confirm(request, pk: int, obj: ProcedureImport):
    try:
        services.import_confirm(actor=request.user, record=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("procedures:import_status", args=[obj.pk]))


urlpatterns = [
    path("procedures/import/", import_upload, name="import"),
    path("procedures/imports/<int:pk>/", import_status, name="import_status"),
    path("procedures/imports/<int:pk>/mapping/", import_mapping, name="import_mapping"),
    path("procedures/imports/<int:pk>/confirm/", import_confirm, name="import_confirm"),
]
