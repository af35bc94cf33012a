"""Bad input, per issue 14: each a 4xx with a clear JSON error in the one form, never a
500, nothing changed."""

import pytest

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.portfolio.models import Initiative

pytestmark = pytest.mark.django_db


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def _valid_initiative(**overrides):
    from .conftest import FY

    data = {
        "title": "窓口のオンライン化", "fiscal_year_start": FY, "fiscal_year_end": FY + 1,
        "scope": "kaizen", "dx": "D", "rule_kind": "none", "organisation_kind": "none",
        "budget_kind": "none",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_unknown_filters_are_refused_in_japanese(api_client, public_initiative):
    error = _error(api_client.call("GET", "/api/v1/initiatives?colour=red"), 400,
                   "unknown_parameter")  # fmt: skip
    assert "不明なパラメータ" in error["message"] and "colour" in error["message"]
    assert error["details"][0]["field"] == "query.colour"


def test_english_on_request(api_client):
    error = _error(
        api_client.call("GET", "/api/v1/kpis?x=1", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"),
        400, "unknown_parameter",
    )  # fmt: skip
    assert error["message"].startswith("Unknown parameter")


@pytest.mark.parametrize("query", ["limit=101", "limit=10000000000", "limit=0", "offset=-1",
                                   "limit=abc", "fiscal_year=3000", "status=nope",
                                   "bureau_id=99999999999999999999"])  # fmt: skip
def test_bad_parameters_are_400(api_client, query):
    error = _error(api_client.call("GET", f"/api/v1/initiatives?{query}"), 400,
                   "invalid_parameter")  # fmt: skip
    assert error["details"] and all(d["message"] for d in error["details"])


def test_huge_page_size_message_is_japanese(api_client):
    error = _error(api_client.call("GET", "/api/v1/budgets?limit=5000"), 400, "invalid_parameter")
    assert error["details"][0]["message"] == "100以下の値を指定してください。"


def test_unknown_ids_and_paths_are_json_404(api_client):
    _error(api_client.call("GET", "/api/v1/initiatives/999999"), 404, "not_found")
    _error(api_client.call("GET", "/api/v1/initiatives/99999999999999999999"), 400,
           "invalid_parameter")  # fmt: skip
    _error(api_client.call("GET", "/api/v1/nothing"), 404, "not_found")
    _error(api_client.call("GET", "/api/v1/initiatives/abc"), 400, "invalid_parameter")


def test_internal_items_are_not_found(api_client, internal_initiative):
    _error(api_client.call("GET", f"/api/v1/initiatives/{internal_initiative.pk}"), 404,
           "not_found")  # fmt: skip


def test_writes_need_a_token(api_client, years):
    before = AuditEvent.objects.count()
    _error(api_client.call("POST", "/api/v1/initiatives", json=_valid_initiative()), 401,
           "unauthenticated")  # fmt: skip
    response = api_client.call("POST", "/api/v1/initiatives", json=_valid_initiative(),
                               token="kyk_made-up")  # fmt: skip
    assert _error(response, 401, "unauthenticated") and response["WWW-Authenticate"]
    assert Initiative.objects.count() == 0 and AuditEvent.objects.count() == before


def test_malformed_json(api_client, account):
    _account, token = account
    error = _error(
        api_client.call("POST", "/api/v1/initiatives", data='{"title": "x",', token=token),
        400, "malformed_json",
    )  # fmt: skip
    assert "JSON" in error["message"]
    assert Initiative.objects.count() == 0


def test_wrong_types_and_unknown_fields(api_client, account):
    _account, token = account
    bad = _valid_initiative(fiscal_year_start="来年", initial_cost_yen=-5, colour="red",
                            scope="revolution", title="x" * 201)  # fmt: skip
    error = _error(api_client.call("POST", "/api/v1/initiatives", json=bad, token=token), 422,
                   "validation_failed")  # fmt: skip
    fields = {d["field"] for d in error["details"]}
    assert {"body.data.fiscal_year_start", "body.data.initial_cost_yen", "body.data.colour",
            "body.data.scope", "body.data.title"} <= fields  # fmt: skip
    assert Initiative.objects.count() == 0


def test_a_json_array_or_number_is_refused(api_client, account):
    _account, token = account
    for body in ("[]", "42", '"x"', "null"):
        response = api_client.call("POST", "/api/v1/initiatives", data=body, token=token)
        assert response.status_code in (400, 422), (body, response.content)
        assert "error" in response.json()


def test_wrong_content_type_and_size(api_client, account):
    _account, token = account
    _error(api_client.call("POST", "/api/v1/initiatives", data="title=x", token=token,
                           content_type="application/x-www-form-urlencoded"), 415,
           "unsupported_media_type")  # fmt: skip
    big = {"title": "x", "summary": "あ" * 70_000}
    _error(api_client.call("POST", "/api/v1/initiatives", json=big, token=token), 413,
           "payload_too_large")  # fmt: skip
    assert Initiative.objects.count() == 0


def test_method_not_allowed_is_json(api_client, public_initiative):
    response = api_client.call("DELETE", f"/api/v1/initiatives/{public_initiative.pk}")
    error = _error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"] and "PATCH" in response["Allow"]
    assert error["message"]


def test_documents_are_read_only(api_client, account, sysadmin):
    from kyokan.apps.documents import services as ds
    from kyokan.apps.documents.services import SectionData
    from tests.documents.adoption import adopt

    _account, token = account
    document = ds.document_create(actor=sysadmin, kind="strategy", title="戦略")
    version = ds.version_create(actor=sysadmin, document=document, label="初版",
                                sections=[SectionData("目指す姿", "本文")])  # fmt: skip
    adopt(version, actor=sysadmin)
    before = AuditEvent.objects.count()
    for method in ("PUT", "PATCH", "POST", "DELETE"):
        for path in (f"/api/v1/versions/{version.pk}", f"/api/v1/documents/{document.pk}"):
            response = api_client.call(method, path, json={"label": "改ざん"}, token=token)
            _error(response, 405, "method_not_allowed")
    version.refresh_from_db()
    assert version.label == "初版" and AuditEvent.objects.count() == before


def test_over_the_rate_limit(api_client, settings):
    settings.KYOKAN_API_RATE_LIMIT = 3
    codes = [api_client.call("GET", "/api/v1/kpis").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    response = api_client.call("GET", "/api/v1/kpis")
    error = _error(response, 429, "rate_limited")
    assert response["Retry-After"] == "60" and "秒待って" in error["message"]


def test_text_a_database_refuses_is_refused(api_client, account):
    _account, token = account
    bad = _valid_initiative(title="電子\x00申請")
    error = _error(api_client.call("POST", "/api/v1/initiatives", json=bad, token=token), 422,
                   "validation_failed")  # fmt: skip
    assert error["details"][0]["message"] == "使えない文字が含まれています。"
    lone = '{"title": "\\ud800"}'
    response = api_client.call("POST", "/api/v1/initiatives", data=lone, token=token)
    assert response.status_code == 422
    _error(api_client.call("GET", "/api/v1/initiatives?q=%00"), 400, "invalid_parameter")
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize("blank", ["   ", "\n", "\u3000\t"])
def test_a_required_text_of_spaces_only_is_empty(api_client, account, public_initiative, blank):
    """Texts lose their surrounding spaces as in the site's forms: a title or a report of
    spaces only was stored (an initiative whose link on every list had no name)."""
    _account, token = account
    error = _error(
        api_client.call("POST", "/api/v1/initiatives", json=_valid_initiative(title=blank),
                        token=token),
        422, "validation_failed",
    )  # fmt: skip
    assert error["details"] == [
        {"field": "body.data.title", "code": "string_too_short",
         "message": "この項目は空にできません。"}
    ]  # fmt: skip
    path = f"/api/v1/initiatives/{public_initiative.pk}"
    _error(api_client.call("PATCH", path, json={"title": blank}, token=token), 422,
           "validation_failed")  # fmt: skip
    report = {"fiscal_year": public_initiative.fiscal_year_start, "quarter": 1,
              "percent_done": 10, "health": "good", "happened": blank}  # fmt: skip
    _error(api_client.call("POST", f"{path}/reports", json=report, token=token), 422,
           "validation_failed")  # fmt: skip
    public_initiative.refresh_from_db()
    assert public_initiative.title == "公開の取組"
    assert Initiative.objects.count() == 1


def test_texts_are_stored_without_surrounding_spaces(api_client, account, years):
    _account, token = account
    response = api_client.call(
        "POST", "/api/v1/initiatives", token=token,
        json=_valid_initiative(title="  窓口のオンライン化\n", value_who=" 転入者 "),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    initiative = Initiative.objects.get()
    assert (initiative.title, initiative.value_who) == ("窓口のオンライン化", "転入者")
