"""Procedures through the API: public reads of the inventory's public columns, and the
integrations' writes through the procedures app's services (audited under the account),
only for the token's bureau, validated at the boundary."""

import pytest

from kyokan.apps.api import schemas
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.procedures import codes
from kyokan.apps.procedures.models import (
    COUNT_MAX,
    FeePayment,
    LegalBasisKind,
    Procedure,
    ProcedureYear,
    Seal,
)

from .conftest import FY

pytestmark = pytest.mark.django_db

PUBLIC_KEYS = {
    "procedure_id", "name", "department_name", "law_name", "article", "online_status",
    "online_status_label", "planned_online_year", "total_count", "online_count",
}  # fmt: skip


def _error(response, status, code):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["procedure_id"] for r in response.json()["results"]]


# --- reads ----------------------------------------------------------------------------------


def test_the_list_has_the_citys_procedures_and_their_public_columns(api_client, inventory):
    response = api_client.call("GET", "/api/v1/procedures")
    body = response.json()
    assert _ids(response) == ["1001", "2001", "3001"] and body["count"] == 3  # not 1002
    first = body["results"][0]
    assert set(first) == PUBLIC_KEYS
    assert first["online_status_label"] == "2 未実施" and first["planned_online_year"] == FY + 1
    assert first["department_name"] == inventory["public"].department.name
    assert body["results"][2]["department_name"] == ""


def test_filters_and_pages(api_client, inventory, other_bureau):
    get = lambda query: _ids(api_client.call("GET", f"/api/v1/procedures?{query}"))  # noqa: E731
    assert get("online_status=1") == ["2001"]
    assert get(f"bureau_id={other_bureau.pk}") == ["2001"]
    assert get(f"bureau_id={inventory['public'].department.pk}") == ["1001"]
    assert get("q=児童福祉") == ["2001"] and get("q=転入") == ["1001"]
    assert get(f"planned_online_year={FY + 1}") == ["1001"]
    assert get("limit=1&offset=1") == ["2001"]
    assert get("q=国の手続") == []  # not the municipality's: not public


@pytest.mark.parametrize(
    "query", ["limit=101", "limit=0", "offset=-1", "online_status=9", "bureau_id=0",
              "planned_online_year=3000", f"q={'あ' * 101}"],
)  # fmt: skip
def test_bad_parameters(api_client, query):
    _error(api_client.call("GET", f"/api/v1/procedures?{query}"), 400, "invalid_parameter")


def test_unknown_parameters_are_refused(api_client):
    error = _error(api_client.call("GET", "/api/v1/procedures?seal=required"), 400,
                   "unknown_parameter")  # fmt: skip
    assert "seal" in error["message"]
    _error(api_client.call("GET", "/api/v1/procedures/1001?x=1"), 400, "unknown_parameter")


def test_one_procedure(api_client, inventory):
    response = api_client.call("GET", "/api/v1/procedures/1001")
    assert response.status_code == 200 and set(response.json()) == PUBLIC_KEYS
    assert response.json()["name"] == "転入届"
    _error(api_client.call("GET", "/api/v1/procedures/1002"), 404, "not_found")  # not public
    _error(api_client.call("GET", "/api/v1/procedures/9999"), 404, "not_found")
    _error(api_client.call("GET", "/api/v1/procedures/-1"), 400, "invalid_parameter")
    _error(api_client.call("GET", f"/api/v1/procedures/{'1' * 21}"), 400, "invalid_parameter")


def test_the_schemas_codes_are_the_inventorys():
    import typing

    assert set(typing.get_args(schemas.OnlineStatusCode)) == set(codes.ONLINE_STATUS)
    assert set(typing.get_args(schemas.SealCode)) == set(Seal.values)
    assert set(typing.get_args(schemas.LegalBasisCode)) == set(LegalBasisKind.values)
    assert set(typing.get_args(schemas.FeePaymentCode)) == set(FeePayment.values)
    assert schemas.COUNT_MAX == COUNT_MAX


# --- writes: the procedure's own fields -----------------------------------------------------


def test_patch_the_seal_and_attachments(api_client, account, inventory):
    acct, token = account
    path = "/api/v1/procedures/1001"
    body = {"seal": "abolished", "attachment_count": 3, "attachments_removed": 1,
            "signature_required": False}  # fmt: skip
    response = api_client.call("PATCH", path, json=body, token=token)
    assert response.status_code == 200, response.content
    written = response.json()
    assert (written["seal"], written["attachment_count"], written["attachments_removed"]) == (
        "abolished",
        3,
        1,
    )
    procedure = Procedure.objects.get(procedure_id="1001")
    assert procedure.seal == "abolished" and procedure.signature_required is False
    assert procedure.name == "転入届" and procedure.total_count == 100  # the rest untouched
    event = AuditEvent.objects.filter(target_type="procedures.procedure").latest("id")
    assert event.actor == acct.user and event.action == "update"
    assert event.before["seal"] == "required" and event.after["seal"] == "abolished"
    # null clears what may be unknown; not what always has a value
    response = api_client.call("PATCH", path, json={"seal": None, "attachment_count": None},
                               token=token)  # fmt: skip
    assert response.status_code == 200
    procedure.refresh_from_db()
    assert procedure.seal == "" and procedure.attachment_count is None
    error = _error(api_client.call("PATCH", path, json={"legal_basis_kind": None}, token=token),
                   422, "validation_failed")  # fmt: skip
    assert error["details"][0]["field"] == "body.legal_basis_kind"


def test_patch_refuses_bad_values_and_changes_nothing(api_client, account, inventory):
    _acct, token = account
    path = "/api/v1/procedures/1001"
    before = AuditEvent.objects.count()
    bad = {"seal": "maybe", "attachment_count": 1001, "fee_yen": -1, "citizen_minutes": 10**5 + 1,
           "planned_online_year": 1800, "priority_group": "x" * 101, "online_status": "1",
           "name": "改名"}  # fmt: skip
    error = _error(api_client.call("PATCH", path, json=bad, token=token), 422,
                   "validation_failed")  # fmt: skip
    fields = {d["field"] for d in error["details"]}
    assert {f"body.data.{k}" for k in bad} <= fields  # the national columns are not writable
    error = _error(api_client.call("PATCH", path, json={"note": "電子\x00申請"}, token=token),
                   422, "validation_failed")  # fmt: skip
    assert error["details"][0]["message"] == "使えない文字が含まれています。"
    procedure = Procedure.objects.get(procedure_id="1001")
    assert procedure.seal == "required" and procedure.attachment_count == 2
    assert AuditEvent.objects.count() == before


def test_move_to_a_division_of_the_bureau_only(api_client, account, inventory, bureau,
                                              other_bureau):  # fmt: skip
    from kyokan.apps.core.models import Department

    _acct, token = account
    path = "/api/v1/procedures/1001"
    mine = Department.objects.create(name="窓口課", kind="division", parent=bureau)
    response = api_client.call("PATCH", path, json={"division_id": mine.pk}, token=token)
    assert response.status_code == 200 and response.json()["division_id"] == mine.pk
    closed = Department.objects.create(name="廃止課", kind="division", parent=bureau,
                                       is_active=False)  # fmt: skip
    for division in (other_bureau.children.first(), closed, bureau):
        error = _error(api_client.call("PATCH", path, json={"division_id": division.pk},
                                       token=token), 422, "refused")  # fmt: skip
        assert error["details"][0]["field"] == "body.division_id"
    _error(api_client.call("PATCH", path, json={"division_id": None}, token=token), 422,
           "validation_failed")  # fmt: skip
    assert Procedure.objects.get(procedure_id="1001").department == mine


def test_another_bureaus_procedure_is_refused(api_client, account, other_account, inventory):
    _acct, token = account
    before = AuditEvent.objects.count()
    for pid in ("2001", "3001"):  # another bureau's; no division's
        for method, path, body in (
            ("PATCH", f"/api/v1/procedures/{pid}", {"seal": "abolished"}),
            ("PUT", f"/api/v1/procedures/{pid}/counts", {"fiscal_year": FY, "total_count": 5}),
        ):
            error = _error(api_client.call(method, path, json=body, token=token), 403,
                           "forbidden")  # fmt: skip
            assert "他の部局" in error["message"]
    # The other bureau's token may not write ours either.
    _other, other_token = other_account
    _error(api_client.call("PATCH", "/api/v1/procedures/1001", json={"seal": "none"},
                           token=other_token), 403, "forbidden")  # fmt: skip
    assert Procedure.objects.get(procedure_id="2001").seal == "required"
    assert Procedure.objects.get(procedure_id="1001").seal == "required"
    assert not ProcedureYear.objects.exists() and AuditEvent.objects.count() == before


def test_the_procedures_permission_is_needed(api_client, sysadmin, bureau, inventory):
    from kyokan.apps.api import services

    _acct, token = services.account_create(
        actor=sysadmin, name="実績のみ", department=bureau, scopes=["kpi_actuals"]
    )
    error = _error(api_client.call("PATCH", "/api/v1/procedures/1001", json={"seal": "none"},
                                   token=token), 403, "forbidden")  # fmt: skip
    assert "権限" in error["message"]
    _error(api_client.call("PATCH", "/api/v1/procedures/1001", json={"seal": "none"}), 401,
           "unauthenticated")  # fmt: skip
    assert Procedure.objects.get(procedure_id="1001").seal == "required"


def test_unknown_procedure_and_methods(api_client, account, inventory):
    _acct, token = account
    _error(api_client.call("PATCH", "/api/v1/procedures/9999", json={}, token=token), 404,
           "not_found")  # fmt: skip
    response = api_client.call("DELETE", "/api/v1/procedures/1001", token=token)
    _error(response, 405, "method_not_allowed")
    assert "PATCH" in response["Allow"] and "GET" in response["Allow"]
    response = api_client.call("DELETE", "/api/v1/procedures", token=token)
    _error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"] and "GET" in response["Allow"]
    _error(api_client.call("PATCH", "/api/v1/procedures/1001", data='{"seal": ', token=token),
           400, "malformed_json")  # fmt: skip


# --- writes: a new procedure of the city -----------------------------------------------------


def _new_procedure(division, **overrides):
    body = {
        "procedure_id": "C-100", "name": "空き家バンク登録申請", "division_id": division.pk,
        "law_name": "空き家等対策条例", "article": "第5条", "online_status": "2",
        "legal_basis_kind": "ordinance", "seal": "required", "attachment_count": 2,
        "fee_payment": "none", "planned_online_year": FY + 1,
    }  # fmt: skip
    body.update(overrides)
    return body


def _nothing_created(before: int) -> None:
    assert not Procedure.objects.filter(procedure_id__startswith="C-").exists()
    assert AuditEvent.objects.count() == before


def test_create_a_procedure_of_the_tokens_bureau(api_client, account, inventory):
    acct, token = account
    division = inventory["public"].department
    response = api_client.call("POST", "/api/v1/procedures", json=_new_procedure(division),
                               token=token)  # fmt: skip
    assert response.status_code == 201, response.content
    written = response.json()
    assert set(written) == set(schemas.ProcedureWritten.model_fields)
    assert (written["procedure_id"], written["division_id"], written["online_status"]) == (
        "C-100",
        division.pk,
        "2",
    )
    assert written["counts_year"] is None and written["seal"] == "required"
    made = Procedure.objects.get(procedure_id="C-100")
    assert made.origin == "city" and made.department == division and made.law_name
    assert made.legal_basis_kind == "ordinance" and made.attachment_count == 2
    event = AuditEvent.objects.get(target_type="procedures.procedure", action="create")
    assert event.actor == acct.user and event.after["procedure_id"] == "C-100"
    # The city's own procedures are public like those of its file; counts follow by year.
    public = api_client.call("GET", "/api/v1/procedures/C-100")
    assert public.status_code == 200 and public.json()["name"] == "空き家バンク登録申請"
    counts = {"fiscal_year": FY, "counter_count": 40, "online_count": 0}
    response = api_client.call("PUT", "/api/v1/procedures/C-100/counts", json=counts, token=token)
    assert response.status_code == 200 and response.json()["total_count"] == 40


def test_only_the_required_fields(api_client, account, inventory):
    _acct, token = account
    division = inventory["public"].department
    body = {"procedure_id": "C-1", "name": "最小の手続", "division_id": division.pk}
    response = api_client.call("POST", "/api/v1/procedures", json=body, token=token)
    assert response.status_code == 201, response.content
    made = Procedure.objects.get(procedure_id="C-1")
    assert (made.online_status, made.seal, made.fee_payment, made.legal_basis_kind) == (
        "",
        "",
        "",
        "law",
    )


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"procedure_id": None}, "validation_failed", "body.data.procedure_id"),
        ({"name": None}, "validation_failed", "body.data.name"),
        ({"division_id": None}, "validation_failed", "body.data.division_id"),
        ({"procedure_id": "手続1"}, "validation_failed", "body.data.procedure_id"),
        ({"procedure_id": "1" * 21}, "validation_failed", "body.data.procedure_id"),
        ({"procedure_id": "-1"}, "validation_failed", "body.data.procedure_id"),
        ({"name": ""}, "validation_failed", "body.data.name"),
        ({"name": "名" * 301}, "validation_failed", "body.data.name"),
        ({"law_name": "法" * 301}, "validation_failed", "body.data.law_name"),
        ({"article": "条" * 201}, "validation_failed", "body.data.article"),
        ({"note": "x" * 4001}, "validation_failed", "body.data.note"),
        ({"online_status": "9"}, "validation_failed", "body.data.online_status"),
        ({"legal_basis_kind": "通達"}, "validation_failed", "body.data.legal_basis_kind"),
        ({"seal": "maybe"}, "validation_failed", "body.data.seal"),
        ({"fee_payment": "cheque"}, "validation_failed", "body.data.fee_payment"),
        ({"attachment_count": 1001}, "validation_failed", "body.data.attachment_count"),
        ({"fee_yen": -1}, "validation_failed", "body.data.fee_yen"),
        ({"planned_online_year": 1800}, "validation_failed", "body.data.planned_online_year"),
        ({"citizen_minutes": "長い"}, "validation_failed", "body.data.citizen_minutes"),
        ({"national_priority": "たぶん"}, "validation_failed", "body.data.national_priority"),
        ({"division_id": "課"}, "validation_failed", "body.data.division_id"),
        ({"ministry": "総務省"}, "validation_failed", "body.data.ministry"),
        ({"total_count": 10}, "validation_failed", "body.data.total_count"),
        ({"note": "電子\x00申請"}, "validation_failed", "body.data.note"),
        ({"name": "　 "}, "refused", "body.name"),
    ],
)  # fmt: skip
def test_bad_input_is_422_per_field_and_creates_nothing(api_client, account, inventory,
                                                        changes, code, field):  # fmt: skip
    _acct, token = account
    before = AuditEvent.objects.count()
    body = _new_procedure(inventory["public"].department, **changes)
    body = {k: v for k, v in body.items() if v is not None or k not in changes}
    response = api_client.call("POST", "/api/v1/procedures", json=body, token=token)
    error = _error(response, 422, code)
    assert field in {d["field"] for d in error["details"]}
    assert all(d["message"] for d in error["details"])
    _nothing_created(before)


def test_every_missing_field_is_named(api_client, account, inventory):
    _acct, token = account
    error = _error(api_client.call("POST", "/api/v1/procedures", json={}, token=token), 422,
                   "validation_failed")  # fmt: skip
    fields = {d["field"] for d in error["details"]}
    assert {"body.data.procedure_id", "body.data.name", "body.data.division_id"} <= fields
    assert all(d["message"] == "この項目は必須です。" for d in error["details"])


def test_a_procedure_id_already_in_the_inventory_is_refused(api_client, account, inventory):
    _acct, token = account
    before = AuditEvent.objects.count()
    body = _new_procedure(inventory["public"].department, procedure_id="2001")  # another's
    error = _error(api_client.call("POST", "/api/v1/procedures", json=body, token=token), 422,
                   "refused")  # fmt: skip
    assert error["details"] == [{
        "field": "body.procedure_id", "code": "invalid",
        "message": "手続ID 2001 はすでに棚卸しにあります（他部局の申請）。",
    }]  # fmt: skip
    assert error["message"] == "変更できませんでした。何も変更していません。"
    assert Procedure.objects.get(procedure_id="2001").name == "他部局の申請"
    assert AuditEvent.objects.count() == before
    response = api_client.call("POST", "/api/v1/procedures", json=body, token=token,
                               HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    message = _error(response, 422, "refused")["details"][0]["message"]
    assert message == "手続ID 2001 is already in the inventory (他部局の申請)."


def test_a_division_of_another_bureau_is_403(api_client, account, other_account, inventory,
                                            bureau, other_bureau):  # fmt: skip
    from kyokan.apps.core.models import Department

    _acct, token = account
    before = AuditEvent.objects.count()
    for department in (other_bureau.children.first(), other_bureau):
        body = _new_procedure(department)
        error = _error(api_client.call("POST", "/api/v1/procedures", json=body, token=token),
                       403, "forbidden")  # fmt: skip
        assert "他の部局" in error["message"]
    # The other bureau's token may not add a procedure to our division either.
    _other, other_token = other_account
    body = _new_procedure(inventory["public"].department)
    _error(api_client.call("POST", "/api/v1/procedures", json=body, token=other_token), 403,
           "forbidden")  # fmt: skip
    # Our bureau itself, an abolished division of it or an unknown id: 422 on division_id.
    closed = Department.objects.create(name="廃止課", kind="division", parent=bureau,
                                       is_active=False)  # fmt: skip
    for division_id in (bureau.pk, closed.pk, 999_999):
        body = _new_procedure(inventory["public"].department, division_id=division_id)
        error = _error(api_client.call("POST", "/api/v1/procedures", json=body, token=token),
                       422, "refused")  # fmt: skip
        assert error["details"][0]["field"] == "body.division_id"
    _nothing_created(before)


def test_creating_needs_a_token_with_the_procedures_permission(api_client, sysadmin, bureau,
                                                               inventory):  # fmt: skip
    from kyokan.apps.api import services

    before = AuditEvent.objects.count()
    body = _new_procedure(inventory["public"].department)
    _error(api_client.call("POST", "/api/v1/procedures", json=body), 401, "unauthenticated")
    _error(api_client.call("POST", "/api/v1/procedures", json=body, token="kyk_made-up"), 401,
           "unauthenticated")  # fmt: skip
    _acct, token = services.account_create(
        actor=sysadmin, name="実績のみ", department=bureau, scopes=["kpi_actuals"]
    )
    before = AuditEvent.objects.count()
    error = _error(api_client.call("POST", "/api/v1/procedures", json=body, token=token), 403,
                   "forbidden")  # fmt: skip
    assert "手続の追加と更新" in error["message"]
    _nothing_created(before)


def test_creating_over_the_rate_limit_is_429(api_client, account, inventory, settings):
    _acct, token = account
    before = AuditEvent.objects.count()
    settings.KYOKAN_API_RATE_LIMIT = 2
    assert api_client.call("GET", "/api/v1/procedures").status_code == 200
    assert api_client.call("GET", "/api/v1/procedures").status_code == 200
    body = _new_procedure(inventory["public"].department)
    response = api_client.call("POST", "/api/v1/procedures", json=body, token=token)
    _error(response, 429, "rate_limited")
    assert response["Retry-After"] == "60"
    _nothing_created(before)


def test_malformed_or_non_json_bodies(api_client, account, inventory):
    _acct, token = account
    before = AuditEvent.objects.count()
    _error(api_client.call("POST", "/api/v1/procedures", data='{"name": ', token=token), 400,
           "malformed_json")  # fmt: skip
    _error(api_client.call("POST", "/api/v1/procedures", data="procedure_id=C-1",
                           content_type="application/x-www-form-urlencoded", token=token),
           415, "unsupported_media_type")  # fmt: skip
    body = _new_procedure(inventory["public"].department)
    _error(api_client.call("POST", "/api/v1/procedures?dry_run=1", json=body, token=token), 400,
           "unknown_parameter")  # fmt: skip
    _nothing_created(before)


# --- writes: counts by fiscal year ---------------------------------------------------------


def test_record_this_years_counts(api_client, account, inventory):
    acct, token = account
    body = {"fiscal_year": FY, "online_status": "5", "counter_count": 70, "mail_count": 10,
            "online_count": 20}  # fmt: skip
    response = api_client.call("PUT", "/api/v1/procedures/1001/counts", json=body, token=token)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "procedure_id": "1001", "fiscal_year": FY, "online_status": "5", "total_count": 100,
        "online_count": 20, "counter_count": 70, "mail_count": 10, "latest": True,
    }  # fmt: skip
    procedure = Procedure.objects.get(procedure_id="1001")
    assert (procedure.counts_year, procedure.online_status) == (FY, "5")
    assert procedure.offline_count == 80
    events = AuditEvent.objects.filter(actor=acct.user)
    assert {e.target_type for e in events} == {"procedures.procedure", "procedures.procedureyear"}
    # The public read shows the new status and counts.
    public = api_client.call("GET", "/api/v1/procedures/1001").json()
    assert (public["online_status"], public["online_count"]) == ("5", 20)
    # An earlier year fills only its row.
    earlier = {"fiscal_year": FY - 2, "total_count": 90, "online_count": 0}
    response = api_client.call("PUT", "/api/v1/procedures/1001/counts", json=earlier, token=token)
    assert response.status_code == 200 and response.json()["latest"] is False
    procedure.refresh_from_db()
    assert (procedure.counts_year, procedure.total_count) == (FY, 100)
    assert ProcedureYear.objects.filter(procedure=procedure).count() == 2


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"fiscal_year": FY}, 422, "validation_failed", "body"),
        ({"fiscal_year": FY, "total_count": 10, "counter_count": 8, "online_count": 5}, 422,
         "refused", "body.total_count"),
        ({"fiscal_year": FY, "total_count": -1}, 422, "validation_failed",
         "body.data.total_count"),
        ({"fiscal_year": FY, "mail_count": COUNT_MAX + 1}, 422, "validation_failed",
         "body.data.mail_count"),
        ({"fiscal_year": FY, "online_count": "多数"}, 422, "validation_failed",
         "body.data.online_count"),
        ({"fiscal_year": FY, "online_status": "9"}, 422, "validation_failed",
         "body.data.online_status"),
        ({"fiscal_year": 3000, "total_count": 1}, 422, "validation_failed",
         "body.data.fiscal_year"),
        ({"fiscal_year": FY + 10, "total_count": 1}, 422, "refused", "body.fiscal_year"),
        ({"total_count": 1}, 422, "validation_failed", "body.data.fiscal_year"),
        ({"fiscal_year": FY, "total_count": 1, "offline_count": 1}, 422, "validation_failed",
         "body.data.offline_count"),
    ],
)  # fmt: skip
def test_bad_counts_are_refused_and_change_nothing(api_client, account, inventory, body, status,
                                                   code, field):  # fmt: skip
    _acct, token = account
    before = AuditEvent.objects.count()
    response = api_client.call("PUT", "/api/v1/procedures/1001/counts", json=body, token=token)
    error = _error(response, status, code)
    assert field in {d["field"] for d in error["details"]}
    assert all(d["message"] for d in error["details"])
    procedure = Procedure.objects.get(procedure_id="1001")
    assert (procedure.counts_year, procedure.total_count) == (FY - 1, 100)
    assert not ProcedureYear.objects.exists() and AuditEvent.objects.count() == before


def test_messages_in_english_on_request(api_client, account, inventory):
    _acct, token = account
    body = {"fiscal_year": FY, "total_count": 10, "online_count": 11}
    response = api_client.call("PUT", "/api/v1/procedures/1001/counts", json=body, token=token,
                               HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "exceed the total" in _error(response, 422, "refused")["details"][0]["message"]
    response = api_client.call("PUT", "/api/v1/procedures/1001/counts", json=body, token=token)
    assert "総件数" in _error(response, 422, "refused")["details"][0]["message"]
