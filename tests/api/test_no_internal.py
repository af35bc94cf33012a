"""No internal item in the open data or the public API: internal and public items of every
app are seeded (each internal text carries a marker); every dataset (CSV, JSON, XLSX), the
catalogue, DCAT and every public read endpoint is read and searched for it."""

import io

import pytest
from django.http import StreamingHttpResponse

from kyokan.apps.opendata import registry
from tests.opendata.seed import MARK, seed

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    if response["Content-Type"].startswith("application/vnd.openxml"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return str([list(s.iter_rows(values_only=True)) for s in book.worksheets])
    return response.content.decode()


def _procedures(people):
    """A public procedure whose internal fields carry the marker, and a national procedure
    the municipality does not carry out (not in the city's inventory), named with it."""
    from .conftest import make_procedure

    division = people["staff"].department
    public = make_procedure("5001", division, name="公開の手続", note=f"{MARK}のメモ",
                            attachments=f"{MARK}の書類", priority_group=MARK)  # fmt: skip
    internal = make_procedure("5002", division, name=f"{MARK}の手続", is_municipal=False)
    return public, internal


def test_nothing_internal_anywhere(client, sysadmin, people):
    items = seed(sysadmin, people)
    public_procedure, internal_procedure = _procedures(people)
    seen = {}
    for dataset in registry.datasets():
        for fmt in ("csv", "json", "xlsx"):
            seen[f"{dataset.slug}.{fmt}"] = _text(client.get(f"/opendata/{dataset.slug}.{fmt}"))
        seen[dataset.slug] = _text(client.get(f"/opendata/{dataset.slug}/"))
    seen["catalogue"] = _text(client.get("/opendata/"))
    seen["dcat"] = _text(client.get("/opendata/catalog.jsonld"))
    internal = items["internal_initiative"]
    paths = [
        "/api/v1/initiatives?limit=100", "/api/v1/kpis?limit=100", "/api/v1/kpi-actuals?limit=100",
        "/api/v1/budgets?limit=100", "/api/v1/progress?limit=100", "/api/v1/documents?limit=100",
        f"/api/v1/documents/{items['document'].pk}",
        f"/api/v1/versions/{items['adopted_version'].pk}",
        f"/api/v1/initiatives?q={MARK}", f"/api/v1/kpis?initiative_id={internal.pk}",
        f"/api/v1/kpi-actuals?initiative_id={internal.pk}",
        f"/api/v1/budgets?initiative_id={internal.pk}",
        f"/api/v1/progress?initiative_id={internal.pk}",
        "/api/v1/procedures?limit=100", f"/api/v1/procedures/{public_procedure.procedure_id}",
        f"/api/v1/procedures?q={MARK}",
    ]  # fmt: skip
    paths += [f"/api/v1/datasets/{d.slug}?limit=100" for d in registry.datasets()]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        seen[path] = _text(response)
    leaks = [name for name, text in seen.items() if MARK in text]
    assert leaks == []
    # The internal items are there, and the public ones are published.
    assert "電子申請の拡充" in seen["/api/v1/initiatives?limit=100"]
    assert "電子申請の拡充" in seen["initiatives.csv"]
    assert "方針を決定した" in seen["decisions.csv"] and "公開会議" in seen["meetings.csv"]
    assert "デジタル強靱化戦略" in seen["documents.csv"]
    assert "DX意識調査" in seen["survey-results.csv"] and "窓口" in seen["survey-results.csv"]
    assert "自由記述" not in seen["survey-results.csv"]
    assert "DX意識調査" in seen["/api/v1/datasets/survey-results?limit=100"]
    assert "公開の手続" in seen["/api/v1/procedures?limit=100"]
    assert "公開の手続" in seen["procedures.csv"]
    assert "方針を決定した" in seen["/api/v1/datasets/decisions?limit=100"]
    for path in (f"/api/v1/initiatives/{internal.pk}",
                 f"/api/v1/versions/{items['draft_version'].pk}",
                 f"/api/v1/procedures/{internal_procedure.procedure_id}"):  # fmt: skip
        assert client.get(path).status_code == 404
    # Nor internal fields of a public initiative: the person in charge, sources, reports' text.
    public = seen["/api/v1/initiatives?limit=100"]
    assert "owner" not in public and "cost_source" not in public and "進捗" not in public


def test_every_registered_read_operation_is_checked():
    from kyokan.apps.api.api import api

    schema = api.get_openapi_schema()
    reads = sorted(p for p, ops in schema["paths"].items() if "get" in ops)
    assert reads == [
        "/api/v1/budgets", "/api/v1/datasets", "/api/v1/datasets/{slug}", "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/initiatives", "/api/v1/initiatives/{initiative_id}", "/api/v1/kpi-actuals",
        "/api/v1/kpis", "/api/v1/procedures", "/api/v1/procedures/{procedure_id}",
        "/api/v1/progress", "/api/v1/versions/{version_id}",
    ], "a new public read: add it to test_nothing_internal_anywhere"  # fmt: skip
