"""The analysis pages against bad ids, hostile comment ids and a very large result."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from kyokan.apps.core.roles import Role
from tests.analyses.results import large_result, stored_run

HOSTILE_IDS = [
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "a\x01b\x1fc",
    # No NUL: PostgreSQL refuses it in text, and forms and the CSV decoder refuse it first.
]


@pytest.mark.parametrize(
    "query", ["question=abc", "question=-1", "question=1.5", "comment_set=x", "question=１"]
)
def test_bad_id_parameters_are_404_not_500(client_as, query):
    response = client_as(Role.SECRETARIAT).get(reverse("analyses:create") + "?" + query)
    assert response.status_code == 404


def test_the_page_for_100000_answers_stays_light(client_as, people):
    run = stored_run(large_result(100_000))
    page = client_as(Role.SECRETARIAT).get(reverse("analyses:run", args=[run.pk]))
    assert page.status_code == 200
    assert len(page.content) < 512 * 1024, len(page.content)
    svg = page.context["map_svg"]
    print(f"opinion map of 100,000 answers: {len(svg.encode())} bytes")
    assert len(svg.encode()) < 150 * 1024
    assert page.context["map_data"]["mode"] == "cells"
    assert page.context["map_data"]["total"] == 100_000
    html = page.content.decode()
    assert "100000" in html.replace(",", "")  # stated


def test_exports_neutralise_hostile_comment_ids(client_as):
    result = large_result(len(HOSTILE_IDS), duplicates_every=100)
    for item, hostile in zip(result["items"], HOSTILE_IDS, strict=True):
        item["id"] = hostile
    for cluster in result["clusters"]:
        cluster["representatives"] = []
    run = stored_run(result, texts=["=1+1"] * len(HOSTILE_IDS))
    client = client_as(Role.SECRETARIAT)
    body = b"".join(client.get(reverse("analyses:export", args=[run.pk, "csv"])).streaming_content)
    ids = [row[0] for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))][1:]
    assert ids[:4] == ['\'=HYPERLINK("http://evil","x")', "'+1", "'-1+2", "'@SUM(A1)"]
    assert ids[5] == "abc"
    xlsx = client.get(reverse("analyses:export", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)  # never a formula
    assert cells[0].value == '=HYPERLINK("http://evil","x")' and cells[0].quotePrefix
    assert cells[5].value == "abc"
