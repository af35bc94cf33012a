"""The redesign record (current and redesigned steps) and the links to initiatives."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require
from kyokan.apps.core.viewkit import apply_service_errors, confirmed, submit

from .. import selectors, services
from ..forms import LinkEditForm, LinkForm, RedesignForm, step_formsets
from ..models import Procedure, Redesign
from .common import link_obj, procedure_obj


@require("procedures.edit_procedure", obj=procedure_obj)
@require_http_methods(["GET", "POST"])
def redesign_edit(request, pk: int, obj: Procedure):
    existing = Redesign.objects.filter(procedure=obj).first()
    flows = selectors.redesign_flows(existing) if existing else None
    data = request.POST if request.method == "POST" else None
    form = RedesignForm(data, initial={"summary": existing.summary if existing else ""})
    current, redesigned = step_formsets(data, redesign_flows=flows)
    if data is not None and form.is_valid() and current.is_valid() and redesigned.is_valid():
        try:
            services.redesign_save(
                actor=request.user,
                procedure=obj,
                summary=form.cleaned_data["summary"],
                current=[s for s in (f.step() for f in current.forms) if s],
                redesigned=[s for s in (f.step() for f in redesigned.forms) if s],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The redesign was saved."))
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "procedures/redesign_form.html",
        {"procedure": obj, "form": form, "current": current, "redesigned": redesigned},
    )


@require("procedures.edit_procedure", obj=procedure_obj)
@require_http_methods(["GET", "POST"])
def link_add(request, pk: int, obj: Procedure):
    form = LinkForm(request.POST or None)
    return submit(
        request,
        form,
        save=lambda data: services.initiative_link_add(
            actor=request.user,
            procedure=obj,
            initiative=data["initiative"],
            note=data["note"],
            counts_separately=data["counts_separately"],
        ),
        success=_("The procedure was linked to the initiative."),
        next_url=lambda _link: obj.get_absolute_url(),
        title=_("Link %(name)s to an initiative") % {"name": obj.name},
        intro=_(
            "The redesign's citizen minutes saved (× the procedure's cases per year) count in "
            "the initiative's value."
        ),
        cancel_url=obj.get_absolute_url(),
    )


@require("procedures.edit_procedure", obj=link_obj)
@require_http_methods(["GET", "POST"])
def link_edit(request, pk: int, obj: Procedure):
    link = obj.link_being_removed
    form = LinkEditForm(
        request.POST or None,
        initial={"note": link.note, "counts_separately": link.counts_separately},
    )
    return submit(
        request,
        form,
        save=lambda data: services.initiative_link_update(
            actor=request.user,
            link=link,
            note=data["note"],
            counts_separately=data["counts_separately"],
        ),
        success=_("The link was saved."),
        next_url=lambda _link: obj.get_absolute_url(),
        title=_("The link from %(procedure)s to %(initiative)s")
        % {"procedure": obj.name, "initiative": link.initiative.title},
        cancel_url=obj.get_absolute_url(),
    )


@require("procedures.edit_procedure", obj=link_obj)
@require_http_methods(["GET", "POST"])
def link_remove(request, pk: int, obj: Procedure):
    link = obj.link_being_removed
    return confirmed(
        request,
        lambda: services.initiative_link_remove(actor=request.user, link=link),
        title=_("Remove the link"),
        message=_("Remove the link from %(procedure)s to %(initiative)s?")
        % {"procedure": obj.name, "initiative": link.initiative.title},
        submit_label=pgettext("procedures", "Remove"),
        success=_("The link was removed."),
        back=obj.get_absolute_url(),
        danger=True,
    )


urlpatterns = [
    path("procedures/<int:pk>/redesign/", redesign_edit, name="redesign"),
    path("procedures/<int:pk>/link/", link_add, name="link_add"),
    path("procedures/links/<int:pk>/", link_edit, name="link_edit"),
    path("procedures/links/<int:pk>/remove/", link_remove, name="link_remove"),
]
