"""Every open data dataset as a paginated JSON list: the same rows as the open data files
(meetings and decisions, survey results, procedures and their online status, and the
portfolio's), read through the open data registry and so through the apps' public.py."""

from __future__ import annotations

from itertools import islice
from typing import Annotated

from django.http import Http404
from django.utils import translation
from ninja import Path, Query, Router, Schema

from kyokan.apps.opendata import registry

from ..pagination import reject_unknown
from ..schemas import PageParams
from . import READ_ERRORS

router = Router(tags=["open data"])

Slug = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{1,60}$", max_length=61)]
Cell = str | int | float | bool | None


class ColumnOut(Schema):
    key: str
    header: str
    description: str
    type: str
    codes: str
    unit: str


class DatasetOut(Schema):
    slug: str
    title: str
    description: str
    frequency: str
    columns: list[ColumnOut]


class RowsOut(Schema):
    dataset: str
    count: int
    limit: int
    offset: int
    results: list[dict[str, Cell]]


def _describe(dataset) -> dict:
    return {
        "slug": dataset.slug,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "frequency": str(dataset.frequency),
        "columns": [
            {
                "key": c.key, "header": c.csv_header, "description": str(c.description),
                "type": c.type, "codes": c.codes, "unit": c.unit,
            }
            for c in dataset.columns
        ],
    }  # fmt: skip


@router.get("/datasets", response={200: list[DatasetOut], **READ_ERRORS}, url_name="datasets")
def list_datasets(request):
    """The open data catalogue's datasets and their columns."""
    reject_unknown(request)
    return [_describe(d) for d in registry.datasets()]


def _typed(dataset, cells):
    types = [c.type for c in dataset.columns]
    keys = [c.key for c in dataset.columns]
    for row in cells:
        item = {}
        for key, kind, value in zip(keys, types, row, strict=True):
            if value is not None and kind == registry.DECIMAL:
                value = float(value)
            elif value is not None and kind == registry.BOOLEAN:
                value = bool(value)
            item[key] = value
        yield item


@router.get("/datasets/{slug}", response={200: RowsOut, **READ_ERRORS}, url_name="dataset_rows")
def dataset_rows(request, slug: Slug, params: Query[PageParams]):
    """One dataset's rows (keys as in its JSON file), ``limit`` at a time."""
    reject_unknown(request, PageParams)
    dataset = registry.dataset(slug)
    if dataset is None:
        raise Http404
    with translation.override("ja"):  # the data is Japanese, as in the files
        count = dataset.count()
        cells = islice(dataset.cells(), params.offset, params.offset + params.limit)
        results = list(_typed(dataset, cells))
    return {
        "dataset": slug, "count": count, "limit": params.limit, "offset": params.offset,
        "results": results,
    }  # fmt: skip
