"""The OpenAPI schema, the browsable docs (bundled assets, under the CSP) and a property-based
test with schemathesis against the project's own schema, in-process through WSGI (no
network): no 500, no response that breaks the schema."""

import contextlib

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_every_operation(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert "/api/v1/initiatives" in paths and "post" in paths["/api/v1/initiatives"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "404", "429"} <= codes, (method, path)
            if method != "get":
                assert {"401", "403", "413", "415", "422"} <= codes, (method, path)
                assert operation.get("security"), (method, path)
            else:
                assert not operation.get("security"), (method, path)


def test_docs_load_only_bundled_assets_and_keep_the_csp(client):
    response = client.get("/api/docs")
    page = response.content.decode()
    assert response.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "<script>" not in page
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui.css")


def test_the_schema_describes_the_api_in_japanese_first(client):
    # The docs page declares lang="ja"; its description was English only.
    description = client.get("/api/openapi.json").json()["info"]["description"]
    japanese, _, english = description.partition("\n---\n")
    assert "公開データ" in japanese and "トークン" in japanese and "監査ログ" in japanese
    assert "Reads" in english


def test_docs_declare_their_language_and_have_a_title(client):
    """axe's html-has-lang and document-title: ninja's own template has no ``lang``."""
    import re

    page = client.get("/api/docs").content.decode()
    assert re.search(r'<html lang="ja">', page)
    assert re.search(r"<title>Kyokan API: 開発者向けの説明</title>", page)
    assert '<a href="/api/openapi.json">' in page  # without JavaScript, the schema's address
    assert "http://" not in page and "https://" not in page  # nothing from elsewhere
    response = client.get("/api/docs", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert '<html lang="en">' in page and response["Content-Language"] == "en"
    assert "<title>Kyokan API: reference for developers</title>" in page
    # Swagger UI's online validator badge is off (it would send the schema elsewhere).
    settings = re.search(r'id="swagger-settings">(.*?)</script>', page, re.S).group(1)
    import json

    assert json.loads(settings)["validatorUrl"] is None


@pytest.fixture
def schema_app(db, public_initiative, internal_initiative, account, settings):
    settings.KYOKAN_API_RATE_LIMIT = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    from django.core import signals
    from django.db import close_old_connections

    from kyokan.config.wsgi import application

    # As Django's test client does: the raw WSGI handler would close the test's database
    # connection at the end of each request (PostgreSQL then loses the test transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
def test_property_based_no_500_and_conformant(schema_app, account):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    _acct, token = account
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", schema_app)
    failures = []
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]  # fmt: skip
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy()

        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=strategy)
        def run(case):
            headers = {"Authorization": f"Bearer {token}"} if case.method != "GET" else {}
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=checks)
            except Exception as exc:  # collect, then report all at once
                failures.append((case.method, case.path, str(exc)[:400]))
                raise

        with contextlib.suppress(Exception):  # recorded in failures
            run()
    assert failures == []
