"""The catalogue's metadata: publisher, licence (PDL1.0) and its 出典 line, encoding, the
distributions of each dataset, and DCAT in JSON-LD."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from .registry import XSD, Dataset, text

LICENCE_NAME = "公共データ利用規約（第1.0版）(PDL1.0)"
LICENCE_URL = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
ENCODING = "UTF-8（BOM付き）"
FORMATS = (
    ("csv", "CSV", "text/csv"),
    ("json", "JSON", "application/json"),
    ("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)


@dataclass
class Publisher:
    name: str
    office: str
    code: str


def publisher() -> Publisher:
    from kyokan.apps.core.selectors import municipality_get

    city = municipality_get()
    if city is None:
        return Publisher(name="", office="", code="")
    return Publisher(name=city.name, office=city.issuing_office, code=city.code)


def source_line(dataset: Dataset, url: str) -> str:
    """The 出典 line that PDL1.0 asks users to write (its 第2条 example)."""
    return f"出典：{publisher().name}「{dataset.title}」（{url}）"


def download_path(dataset: Dataset, fmt: str) -> str:
    return reverse("opendata:download", kwargs={"slug": dataset.slug, "fmt": fmt})


def describe(dataset: Dataset, absolute) -> dict:
    """What the catalogue page and the dataset page show (``absolute(path)`` → URL)."""
    page = absolute(reverse("opendata:dataset", kwargs={"slug": dataset.slug}))
    return {
        "dataset": dataset,
        "url": page,
        "modified": dataset.modified(),
        "count": dataset.count(),
        "source_line": source_line(dataset, page),
        "downloads": [
            {"fmt": fmt, "label": label, "url": download_path(dataset, fmt)}
            for fmt, label, _media in FORMATS
        ],
    }


def dcat(datasets, absolute) -> dict:
    """The catalogue in DCAT (JSON-LD), each distribution with its downloadURL."""
    who = publisher()
    agent = {"@type": "foaf:Organization", "foaf:name": who.name}
    if who.code:
        agent["dct:identifier"] = who.code
    entries = []
    for dataset in datasets:
        page = absolute(reverse("opendata:dataset", kwargs={"slug": dataset.slug}))
        modified = dataset.modified()
        entry = {
            "@id": page,
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.slug,
            "dct:title": {"@value": str(dataset.title), "@language": "ja"},
            "dct:description": {"@value": str(dataset.description), "@language": "ja"},
            "dct:publisher": agent,
            "dct:license": {"@id": LICENCE_URL},
            "dct:rights": LICENCE_NAME,
            "dct:accrualPeriodicity": {"@value": str(dataset.frequency), "@language": "ja"},
            "dcat:keyword": [str(k) for k in dataset.keywords],
            "dcat:landingPage": {"@id": page},
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dct:title": f"{dataset.title}（{label}）",
                    "dct:format": label,
                    "dcat:mediaType": media,
                    "dcat:accessURL": {"@id": page},
                    "dcat:downloadURL": {"@id": absolute(download_path(dataset, fmt))},
                    "dct:license": {"@id": LICENCE_URL},
                    **({"cnt:characterEncoding": "UTF-8"} if fmt in ("csv", "json") else {}),
                }
                for fmt, label, media in FORMATS
            ],
            "dct:conformsTo": {
                "@type": "dct:Standard",
                "dct:title": "デジタル庁「行政データにおける機械可読性に関するルール」",
            },
            "kyokan:columns": [
                {
                    "kyokan:key": c.key,
                    "kyokan:header": text(str(c.header)),
                    "dct:description": str(c.description),
                    "kyokan:datatype": XSD[c.type],
                    **({"kyokan:codeTable": c.codes} if c.codes else {}),
                    **({"kyokan:unit": c.unit} if c.unit else {}),
                }
                for c in dataset.columns
            ],
        }
        if modified:
            entry["dct:modified"] = {"@value": modified.isoformat(), "@type": "xsd:date"}
        entries.append(entry)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "cnt": "http://www.w3.org/2011/content#",
            "kyokan": absolute(reverse("opendata:catalog_jsonld")) + "#",
        },
        "@id": absolute(reverse("opendata:catalog_jsonld")),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": f"{who.name} オープンデータ", "@language": "ja"},
        "dct:description": {
            "@value": _("The open data of the city's DX headquarters, published from Kyokan."),
            "@language": "ja",
        },
        "dct:publisher": agent,
        "dct:license": {"@id": LICENCE_URL},
        "dcat:dataset": entries,
    }
