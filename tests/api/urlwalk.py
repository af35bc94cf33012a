"""The api and opendata apps' objects and URL arguments for the URL walk of every role
(tests/core/test_url_access.py). The API's operations are public at the URL level (reads
show public data only; writes need a token, which no role of the walk holds: a GET on a
write's URL is 405 or the read of the same path)."""


def objects(people) -> dict:
    from django.utils import timezone

    from kyokan.apps.api import services as api_services
    from kyokan.apps.core.japanese_dates import fiscal_year_of
    from kyokan.apps.portfolio import services as ps

    fy = fiscal_year_of(timezone.localdate())
    bureau = people["promoter"].role_assignments.get(role="promoter").department
    initiative = ps.initiative_create(
        actor=people["secretariat"], title="公開の取組", bureau=bureau, fiscal_year_start=fy,
        fiscal_year_end=fy, status="active", scope="kaizen", dx="D", rule_kind="none",
        organisation_kind="none", budget_kind="none", is_public=True,
    )  # fmt: skip
    account, _token = api_services.account_create(
        actor=people["sysadmin"], name="連携", department=bureau, scopes=["initiatives"]
    )
    from kyokan.apps.procedures.models import Procedure

    procedure = Procedure.objects.create(
        procedure_id="API-1", name="転入届", is_municipal=True,
        department=people["promoter"].department,
    )  # fmt: skip
    return {"public_initiative": initiative, "api_account": account, "api_procedure": procedure}


ARGS = {
    "api:initiative": lambda o: {"initiative_id": o["public_initiative"].pk},
    "api:initiative_update": lambda o: {"initiative_id": o["public_initiative"].pk},
    "api:report_create": lambda o: {"initiative_id": o["public_initiative"].pk},
    "api:kpi_actual_record": lambda o: {"kpi_id": o["kpi"].pk},
    "api:document": lambda o: {"document_id": o["document"].pk},
    "api:version": lambda o: {"version_id": o["adopted_version"].pk},
    "api:account_revoke": lambda o: {"pk": o["api_account"].pk},
    "api:account_rotate": lambda o: {"pk": o["api_account"].pk},
    "api:dataset_rows": lambda o: {"slug": "meetings"},
    "api:procedure": lambda o: {"procedure_id": o["api_procedure"].procedure_id},
    "api:procedure_update": lambda o: {"procedure_id": o["api_procedure"].procedure_id},
    "api:procedure_counts_record": lambda o: {"procedure_id": o["api_procedure"].procedure_id},
    "opendata:dataset": lambda o: {"slug": "initiatives"},
    "opendata:download": lambda o: {"slug": "initiatives", "fmt": "csv"},
    "opendata:code_table": lambda o: {"slug": "initiative-status"},
}

PUBLIC = {
    "api:api-root", "api:openapi-json", "api:openapi-view", "api:initiatives", "api:initiative",
    "api:initiative_create", "api:initiative_update", "api:report_create", "api:kpis",
    "api:kpi_actuals", "api:kpi_actual_record", "api:budgets", "api:progress", "api:documents",
    "api:document", "api:version", "api:datasets", "api:dataset_rows", "api:procedures",
    "api:procedure", "api:procedure_create", "api:procedure_update", "api:procedure_counts_record",
    "opendata:catalogue",
    "opendata:catalog_jsonld",
    "opendata:code_table", "opendata:download", "opendata:dataset",
}  # fmt: skip
