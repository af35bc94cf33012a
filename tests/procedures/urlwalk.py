"""The procedures app's objects and URL arguments for the URL walk (tests/core/test_url_access)."""


def objects(people) -> dict:
    from kyokan.apps.portfolio.models import Initiative
    from kyokan.apps.procedures import services
    from kyokan.apps.procedures.models import Procedure

    procedure = Procedure.objects.create(
        procedure_id="1", name="転入届", department=people["staff"].department
    )
    link = services.initiative_link_add(
        actor=people["secretariat"], procedure=procedure, initiative=Initiative.objects.first()
    )
    record = services.import_start(
        actor=people["secretariat"], kind="national", data=b"\xef\xbb\xbf", filename="a.csv",
        fiscal_year=2024, queue=False,
    )  # fmt: skip
    return {"procedure": procedure, "procedure_link": link, "procedure_import": record}


ARGS = {
    "procedures:detail": lambda o: {"pk": o["procedure"].pk},
    "procedures:edit": lambda o: {"pk": o["procedure"].pk},
    "procedures:redesign": lambda o: {"pk": o["procedure"].pk},
    "procedures:link_add": lambda o: {"pk": o["procedure"].pk},
    "procedures:link_edit": lambda o: {"pk": o["procedure_link"].pk},
    "procedures:link_remove": lambda o: {"pk": o["procedure_link"].pk},
    "procedures:import_status": lambda o: {"pk": o["procedure_import"].pk},
    "procedures:import_mapping": lambda o: {"pk": o["procedure_import"].pk},
    "procedures:import_confirm": lambda o: {"pk": o["procedure_import"].pk},
}
