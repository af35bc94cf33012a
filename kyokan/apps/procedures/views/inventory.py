"""The inventory: the filtered list, a procedure's page, editing the city's fields."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import submit

from .. import selectors, services
from ..forms import FilterForm, ProcedureForm
from ..models import Procedure
from .common import procedure_obj


def filtered(request):
    form = FilterForm(request.GET or None)
    filters = form.filters()
    return form, filters, selectors.procedures(**filters)


@require("procedures.view_procedures")
def procedure_list(request):
    form, _filters, qs = filtered(request)
    page = paginate(request, selectors.list_rows(qs))
    template = (
        "procedures/partials/results.html" if request.htmx else "procedures/procedure_list.html"
    )
    return render(
        request, template, {"form": form, "page": page, "results_id": "procedure-results"}
    )


@require("procedures.view_procedures", obj=procedure_obj)
def procedure_detail(request, pk: int, obj: Procedure):
    context = selectors.procedure_detail(obj)
    context["can_edit"] = request.user.has_perm("procedures.edit_procedure", obj)
    return render(request, "procedures/procedure_detail.html", {"procedure": obj, **context})


@require("procedures.edit_procedure", obj=procedure_obj)
@require_http_methods(["GET", "POST"])
def procedure_edit(request, pk: int, obj: Procedure):
    initial = None if request.method == "POST" else {"life_events": obj.life_events.all()}
    form = ProcedureForm(request.POST or None, instance=obj, initial=initial)

    def save(data):
        data = dict(data)
        events = data.pop("life_events")
        return services.procedure_update(
            actor=request.user,
            procedure=Procedure.objects.get(pk=obj.pk),
            life_events=events,
            **data,
        )

    return submit(
        request,
        form,
        save=save,
        success=_("The changes were saved."),
        next_url=lambda _r: obj.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": obj.name},
        intro=_("The city's own fields. The national survey's columns change only by import."),
        cancel_url=obj.get_absolute_url(),
    )


urlpatterns = [
    path("procedures/", procedure_list, name="list"),
    path("procedures/<int:pk>/", procedure_detail, name="detail"),
    path("procedures/<int:pk>/edit/", procedure_edit, name="edit"),
]
