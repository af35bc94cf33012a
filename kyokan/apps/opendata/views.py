"""The open data catalogue (public: no login): the list of datasets, each dataset's
metadata, its downloads (CSV with BOM, JSON, XLSX through core.exports), the code tables and
the DCAT catalogue in JSON-LD. The two pages are pages of the citizen portal: its header,
navigation and reading help (large text, furigana), rendered through portal_render."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from kyokan.apps.core import exports, ratelimit
from kyokan.apps.core.access import public
from kyokan.apps.core.clientip import client_address
from kyokan.apps.portal.views import portal_render

from . import metadata, registry
from .registry import BOOLEAN, DECIMAL, INTEGER

XLSX_PER_MINUTE = 20  # built in memory: a few per client and minute


def _absolute(request):
    return request.build_absolute_uri


def _dataset(slug: str) -> registry.Dataset:
    found = registry.dataset(slug)
    if found is None:
        raise Http404
    return found


@public
def catalogue(request):
    absolute = _absolute(request)
    return portal_render(
        request,
        "opendata/catalogue.html",
        {
            "entries": [metadata.describe(d, absolute) for d in registry.datasets()],
            "licence_name": metadata.LICENCE_NAME,
            "licence_url": metadata.LICENCE_URL,
            "encoding": metadata.ENCODING,
            "publisher": metadata.publisher(),
        },
    )


@public
def dataset_page(request, slug: str):
    dataset = _dataset(slug)
    entry = metadata.describe(dataset, _absolute(request))
    return portal_render(
        request,
        "opendata/dataset.html",
        {
            **entry,
            "code_tables": dataset.code_tables(),
            "licence_name": metadata.LICENCE_NAME,
            "licence_url": metadata.LICENCE_URL,
            "encoding": metadata.ENCODING,
            "publisher": metadata.publisher(),
        },
    )


def _in_japanese(iterable):
    """Files are Japanese whatever the page language (labels are computed while streaming)."""
    with translation.override("ja"):
        yield from iterable


def _typed(dataset: registry.Dataset, *, booleans: bool):
    """The machine-readable cells with numbers as numbers (for JSON and XLSX; ``booleans``:
    true/false rather than 1/0)."""
    from decimal import Decimal

    types = [c.type for c in dataset.columns]
    for cells in dataset.cells():
        row = []
        for kind, value in zip(types, cells, strict=True):
            if value is not None and kind == DECIMAL:
                value = Decimal(value)
            elif value is not None and kind == BOOLEAN and booleans:
                value = bool(value)
            elif value is not None and kind in (INTEGER, BOOLEAN):
                value = int(value)
            row.append(value)
        yield row


def _json_items(dataset: registry.Dataset):
    keys = [c.key for c in dataset.columns]
    for row in _typed(dataset, booleans=True):
        yield dict(zip(keys, row, strict=True))


def _column_meta(column: registry.Column) -> dict:
    meta = {"key": column.key, "header": registry.text(str(column.header)), "type": column.type}
    if column.codes:
        meta["codes"] = column.codes
    if column.unit:
        meta["unit"] = column.unit
    return meta


@public
def download(request, slug: str, fmt: str):
    dataset = _dataset(slug)
    with translation.override("ja"):
        headers = dataset.headers
        title = str(dataset.title)
    if fmt == "csv":
        return exports.csv_response(f"{slug}.csv", headers, _in_japanese(dataset.cells()))
    if fmt == "json":
        page = request.build_absolute_uri(metadata.download_path(dataset, "json"))
        with translation.override("ja"):
            head = {
                "dataset": slug,
                "title": title,
                "publisher": metadata.publisher().name,
                "license": metadata.LICENCE_URL,
                "source": metadata.source_line(dataset, page),
                "columns": [_column_meta(c) for c in dataset.columns],
            }
        return exports.json_stream_response(
            f"{slug}.json", head, "rows", _in_japanese(_json_items(dataset))
        )
    if fmt == "xlsx":
        if not ratelimit.hit(
            "opendata.xlsx", client_address(request), limit=XLSX_PER_MINUTE, window=60
        ):
            response = HttpResponse(
                _("Too many spreadsheet downloads. Wait a minute, or use the CSV."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "60"
            return response
        with translation.override("ja"):
            definitions = [
                (c.key, registry.text(str(c.header)), str(c.description), c.type, c.codes, c.unit)
                for c in dataset.columns
            ]
            sheets = [
                exports.Sheet(title=title, header=headers, rows=_typed(dataset, booleans=False)),
                exports.Sheet(
                    title="項目定義",
                    header=["項目キー", "項目名", "説明", "型", "コード表", "単位"],
                    rows=definitions,
                    wrap=True,
                ),
            ]
            return exports.xlsx_response(f"{slug}.xlsx", sheets)
    raise Http404


@public
def code_table_csv(request, slug: str):
    try:
        table = registry.code_table(slug)
    except KeyError:
        raise Http404 from None
    with translation.override("ja"):
        rows = table.rows()
    return exports.csv_response(f"code-{slug}.csv", ["コード", "名称"], rows)


@public
def catalog_jsonld(request):
    with translation.override("ja"):
        data = metadata.dcat(registry.datasets(), _absolute(request))
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
