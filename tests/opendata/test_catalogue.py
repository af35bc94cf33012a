"""The catalogue page, each dataset's metadata page, the code tables and DCAT (JSON-LD)."""

import json

import pytest
from django.urls import reverse

from kyokan.apps.opendata import registry

from .seed import MARK, seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(sysadmin, people):
    return seed(sysadmin, people)


def test_the_catalogue_lists_every_dataset_with_its_metadata(client, seeded):
    page = client.get(reverse("opendata:catalogue")).content.decode()
    assert "公共データ利用規約（第1.0版）(PDL1.0)" in page and "UTF-8（BOM付き）" in page
    for dataset in registry.datasets():
        assert reverse("opendata:dataset", kwargs={"slug": dataset.slug}) in page
        for fmt in ("csv", "json", "xlsx"):
            assert f"/opendata/{dataset.slug}.{fmt}" in page
    assert MARK not in page


@pytest.mark.parametrize("slug", [d.slug for d in registry.datasets()])
def test_each_dataset_page_describes_its_columns_and_source_line(client, seeded, slug):
    dataset = registry.dataset(slug)
    page = client.get(reverse("opendata:dataset", kwargs={"slug": slug})).content.decode()
    assert "出典：テスト市「" in page and "更新頻度" in page and "UTF-8（BOM付き）" in page
    for column in dataset.columns:
        assert f"<code>{column.key}</code>" in page
    for table in dataset.code_tables():
        assert reverse("opendata:code_table", kwargs={"slug": table.slug}) in page
    assert MARK not in page


def test_code_tables_download_as_csv(client):
    data = b"".join(client.get("/opendata/codes/initiative-status.csv").streaming_content)
    text = data.decode("utf-8-sig")
    assert text.startswith("コード,名称\r\n") and "active,実施中" in text


def test_dcat_lists_every_dataset_and_download_url(client, seeded):
    response = client.get(reverse("opendata:catalog_jsonld"))
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    entries = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert set(entries) == {d.slug for d in registry.datasets()}
    for entry in entries.values():
        assert entry["dct:license"]["@id"].endswith("public_data_license_v1.0")
        urls = [d["dcat:downloadURL"]["@id"] for d in entry["dcat:distribution"]]
        assert {u.rsplit(".", 1)[1] for u in urls} == {"csv", "json", "xlsx"}
        for url in urls:
            path = url.split("://", 1)[1].split("/", 1)[1]
            assert client.get("/" + path).status_code == 200
    assert MARK not in response.content.decode()


def test_unknown_datasets_and_formats_are_404(client):
    assert client.get("/opendata/nothing.csv").status_code == 404
    assert client.get("/opendata/initiatives.exe").status_code == 404
    assert client.get("/opendata/nothing/").status_code == 404
    assert client.get("/opendata/codes/nothing.csv").status_code == 404
