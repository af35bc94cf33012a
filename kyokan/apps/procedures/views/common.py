"""Object loaders for permission checks."""

from django.shortcuts import get_object_or_404

from ..models import InitiativeLink, Procedure, ProcedureImport


def procedure_obj(pk: int, **_kwargs) -> Procedure:
    return get_object_or_404(Procedure.objects.select_related("department__parent"), pk=pk)


def link_obj(pk: int, **_kwargs) -> Procedure:
    """The procedure of a link (the permission is about the procedure)."""
    link = get_object_or_404(InitiativeLink.objects.select_related("procedure__department"), pk=pk)
    procedure = link.procedure
    procedure.link_being_removed = link
    return procedure


def import_obj(user, pk: int, **_kwargs) -> ProcedureImport:
    return get_object_or_404(ProcedureImport.objects.defer("content"), pk=pk)
