"""The analysis pages against bad ids, hostile comment ids and a very large result."""

import csv
import io
import random

import openpyxl
import pytest
from django.urls import reverse

from kyokan.apps.analyses import charts
from kyokan.apps.analyses.models import AnalysisRun, CommentSet
from kyokan.apps.core.roles import Role

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


def _large_result(n: int) -> dict:
    rng = random.Random(1)
    items = [
        {
            "id": str(i),
            "clusters": [f"c{i % 8}", f"c{i % 8}-{i % 3}"],
            "x": rng.random(),
            "y": rng.random(),
            "duplicate_of": None,
        }
        for i in range(n)
    ]
    clusters = [
        {"id": f"c{k}", "level": 1, "parent": None, "label": f"$x$ グループ{k}",
         "keywords": ["a", "b"], "size": n // 8, "representatives": []}
        for k in range(8)
    ]  # fmt: skip
    bulk = [{"representative": str(i), "count": 10, "items": [str(i)] * 10} for i in range(3000)]
    stats = {"items": n, "distinct": n, "duplicates": 0, "clusters": {"coarse": 8, "fine": 0},
             "divergence": 0.5, "bulk": bulk}  # fmt: skip
    return {"items": items, "clusters": clusters, "stats": stats}


def test_the_page_for_100000_answers_stays_under_2_mb(client_as, people):
    comment_set = CommentSet.objects.create(
        title="大量", content="comment-id,comment-body\n", rows=0
    )
    run = AnalysisRun.objects.create(
        comment_set=comment_set, status=AnalysisRun.Status.DONE, result=_large_result(100_000)
    )
    page = client_as(Role.SECRETARIAT).get(reverse("analyses:run", args=[run.pk]))
    assert page.status_code == 200
    assert len(page.content) < 2 * 1024 * 1024, len(page.content)
    html = page.content.decode()
    assert "2000" in html.replace(",", "") and "100000" in html.replace(",", "")  # stated
    assert page.context["map_shown"] == charts.MAP_POINTS


def test_exports_neutralise_hostile_comment_ids(client_as):
    comment_set = CommentSet.objects.create(
        title="敵対", content="comment-id,comment-body\n", rows=0
    )
    result = _large_result(len(HOSTILE_IDS))
    for item, hostile in zip(result["items"], HOSTILE_IDS, strict=True):
        item["id"] = hostile
    run = AnalysisRun.objects.create(
        comment_set=comment_set, status=AnalysisRun.Status.DONE, result=result
    )
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
