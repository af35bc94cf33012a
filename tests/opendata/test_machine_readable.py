"""Every open data CSV, downloaded through its URL, passes the machine-readability checker;
the JSON and XLSX downloads carry the same rows; the CSV streams."""

import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from kyokan.apps.opendata import registry

from .checker import check_csv
from .seed import MARK, seed

pytestmark = pytest.mark.django_db
SLUGS = [d.slug for d in registry.datasets()]


@pytest.fixture
def seeded(sysadmin, people):
    return seed(sysadmin, people)


def _body(response) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return response.content


def _meta(dataset):
    from django.utils import translation

    with translation.override("ja"):
        types = {registry.text(str(c.header)): c.type for c in dataset.columns}
        codes = {
            registry.text(str(c.header)): {
                code for code, _label in registry.code_table(c.codes).rows()
            }
            for c in dataset.columns
            if c.codes
        }
    return types, codes


@pytest.mark.parametrize("slug", SLUGS)
def test_every_csv_passes_the_checker(client, seeded, slug):
    dataset = registry.dataset(slug)
    response = client.get(reverse("opendata:download", kwargs={"slug": slug, "fmt": "csv"}))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)  # streamed, not built in memory
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = _body(response)
    types, codes = _meta(dataset)
    assert check_csv(data, types=types, codes=codes) == []
    assert MARK.encode() not in data


def test_the_checker_finds_what_breaks_the_rules():
    types = {"金額": "integer", "日付": "date", "状況": "code", "名称": "string"}
    codes = {"状況": {"active"}}
    good = "\ufeff金額,日付,状況,名称\r\n1200,2024-04-01,active,電子申請\r\n".encode()
    assert check_csv(good, types=types, codes=codes) == []
    bad = (
        "金額,日付,状況,名称\r\n1,200円,令和6年4月1日,実施中,ﾃﾞｼﾞﾀﾙ①\r\n\r\n"
        '3,2024-04-01,active,"二行\r\nの値"\r\n'
    ).encode()
    problems = " | ".join(check_csv(bad, types=types, codes=codes))
    for expected in ("no UTF-8 BOM", "5 cells", "is blank", "line break inside"):
        assert expected in problems
    bad2 = "\ufeff金額,日付,状況,名称\r\n1200円,2024/4/1,実施中,㈱ﾃﾞｼﾞﾀﾙ\r\n".encode()
    problems = " | ".join(check_csv(bad2, types=types, codes=codes))
    for expected in ("not a plain integer", "not an ISO 8601 date", "not in its code table",
                     "NFKC"):  # fmt: skip
        assert expected in problems


def test_text_is_normalised_where_the_meaning_is_kept(client, seeded):
    data = _body(client.get("/opendata/initiatives.csv")).decode("utf-8-sig")
    assert "電子申請の拡充(株)" in data  # ㈱ → (株)
    assert "転入者(1)" in data  # ① → (1)
    assert "デジタルで届出が完結する 来庁不要" in data  # half-width kana, no line break
    assert ",henkaku," in data and ",X," in data  # codes, with their tables


@pytest.mark.parametrize("slug", SLUGS)
def test_json_and_xlsx_have_the_same_rows(client, seeded, slug):
    from openpyxl import load_workbook

    dataset = registry.dataset(slug)
    csv_rows = _body(client.get(f"/opendata/{slug}.csv")).decode("utf-8-sig").count("\r\n") - 1
    document = json.loads(_body(client.get(f"/opendata/{slug}.json")))
    assert len(document["rows"]) == csv_rows == dataset.count()
    assert [c["key"] for c in document["columns"]] == [c.key for c in dataset.columns]
    assert document["license"].startswith("https://www.digital.go.jp/")
    assert document["source"].startswith("出典：")
    response = client.get(f"/opendata/{slug}.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == dataset.headers and len(rows) - 1 == csv_rows
    assert book.worksheets[1].title == "項目定義"


def test_numbers_are_numbers_in_json(client, seeded):
    rows = json.loads(_body(client.get("/opendata/initiatives.json")))["rows"]
    row = rows[0]
    assert row["initial_cost_yen"] == 1200000 and isinstance(row["cost_value_ratio"], float)
    assert row["fiscal_year_start_wareki"].startswith("令和")
    baseline = json.loads(_body(client.get("/opendata/kpis.json")))["rows"][0]["baseline"]
    assert baseline == 12.5


def test_files_are_japanese_whatever_the_page_language(client, seeded):
    client.cookies["django_language"] = "en"
    data = _body(client.get("/opendata/progress.csv")).decode("utf-8-sig")
    assert data.splitlines()[0].startswith("全国地方公共団体コード,")
    assert "順調" in data
