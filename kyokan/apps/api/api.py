"""The JSON API (django-ninja): /api/v1/…, its OpenAPI schema at /api/openapi.json and the
browsable docs at /api/docs (Swagger UI from ninja's bundled static files: nothing is
loaded from elsewhere, and it runs under the site's Content-Security-Policy; the page is
Kyokan's template, which declares its language and has a title)."""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from . import errors
from .endpoints import (  # noqa: F401 - writes join portfolio
    datasets,
    documents,
    portfolio,
    procedures,
    writes,
)
from .http import guarded

DESCRIPTION = """\
共感（Kyokan）の公開データと、庁内システムからの書き込みのための API です。

* **読み取り**（トークン不要）：市が公開したものだけ。オープンデータのカタログ（/opendata/）と
  同じデータです。一覧は `limit`（1〜100）と `offset` をとります。知らない問い合わせ
  パラメータは 400 で断ります。
* **書き込み**にはシステムアカウントのトークン（`Authorization: Bearer <token>`）が要ります。
  システム管理者が発行し、アカウントは一つの部局のために、与えられた権限の範囲で動きます。
  書き込みはすべて監査ログに記録されます。
* **エラー**はいつも `{"error": {"code", "message", "details"}}` の形です。メッセージは
  日本語です（`Accept-Language` で英語を求めたときは英語）。
* **回数制限**：送信元アドレスごと・1分あたりの回数（超えると 429 と Retry-After）。

---

Kyokan's public data and the integrations' writes (in English).

* **Reads** (no token): only what the city has published — the same data as the open data
  catalogue (/opendata/). Lists take `limit` (1–100) and `offset`; an unknown query
  parameter is refused (400).
* **Writes** need a system account's token (`Authorization: Bearer <token>`), created by
  the system administrator; an account acts for one bureau with the permissions it was
  given, and every write is recorded in the audit trail.
* **Errors** always have the form `{"error": {"code", "message", "details"}}`; messages
  are Japanese unless `Accept-Language` asks for English.
* **Rate limit**: requests per client address per minute (429 with Retry-After).
"""


class Utf8Renderer(JSONRenderer):
    """Japanese as it is (UTF-8), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class Docs(Swagger):
    """ninja's Swagger UI page from api/swagger.html: ``<html lang>`` in the request's
    language (Japanese unless Accept-Language asks for English), a translated title, a
    message without JavaScript; ninja's own template declares no language."""

    template = "api/swagger.html"


api = NinjaAPI(
    renderer=Utf8Renderer(),
    title="Kyokan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No online validator badge (Swagger UI would ask validator.swagger.io about the schema).
    docs=Docs(settings={"validatorUrl": None}),
)
errors.install(api)
api.add_router("/v1/", portfolio.router)
api.add_router("/v1/", documents.router)
api.add_router("/v1/", datasets.router)
api.add_router("/v1/", procedures.router)

# Registration point: an app adds its public reads (or writes) with ``register(router)``
# from its AppConfig.ready(), before the URLconf is loaded.
_EXTRA: list = []


def register(router) -> None:
    if router not in _EXTRA:
        _EXTRA.append(router)
        api.add_router("/v1/", router)


def ninja_patterns() -> list:
    """Ninja's URL patterns, each view wrapped by :func:`guarded`."""
    patterns = []
    for pattern in api.urls[0]:
        callback = pattern.callback
        if getattr(pattern, "name", None) == "api-root":
            callback = _index
        patterns.append(path(str(pattern.pattern), guarded(callback), name=pattern.name))
    return patterns


def _index(request, **kwargs):
    from django.http import JsonResponse
    from django.urls import reverse

    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "openapi": reverse("api:openapi-json"),
            "docs": reverse("api:openapi-view"),
        }
    )
