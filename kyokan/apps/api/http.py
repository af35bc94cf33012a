"""What every API request goes through before django-ninja sees it: the language of the
messages, the rate limit, the size and type of the body, and the one error form for what
ninja would answer otherwise (405 in plain text, 404 pages in HTML).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseNotAllowed
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from kyokan.apps.core import ratelimit
from kyokan.apps.core.access import PUBLIC
from kyokan.apps.core.clientip import client_address

from . import errors

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def body_limit() -> int:
    return getattr(settings, "KYOKAN_API_MAX_BODY", 64 * 1024)


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed to one client address."""
    return (
        getattr(settings, "KYOKAN_API_RATE_LIMIT", 120),
        getattr(settings, "KYOKAN_API_RATE_WINDOW", 60),
    )


def language_of(request) -> str:
    """Japanese unless the client asks for English first (Accept-Language)."""
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
        if code == "*":
            break
    return settings.LANGUAGE_CODE


def _identity(request) -> str:
    # Counted by client address, token or not: a made-up token must not buy a new budget.
    return client_address(request)


def _refusal(request):
    limit, window = rate_limit()
    if not ratelimit.hit("api", _identity(request), limit=limit, window=window):
        return errors.too_many_requests(window)
    if request.method in BODY_METHODS:
        try:
            declared = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        if declared > body_limit():
            return errors.payload_too_large(body_limit())
        try:
            body = request.body
        except RequestDataTooBig:
            return errors.payload_too_large(body_limit())
        if len(body) > body_limit():
            return errors.payload_too_large(body_limit())
        content_type = request.content_type or ""
        if body and content_type.lower() != "application/json":
            return errors.unsupported_media_type()
    return None


def guarded(view):
    """Wrap one of ninja's views (or any API view)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = language_of(request)
        with translation.override(language):
            response = _refusal(request)
            if response is None:
                response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = [m.strip() for m in response["Allow"].split(",") if m.strip()]
                response = errors.method_not_allowed(allowed)
        response["Content-Language"] = language
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    wrapped.csrf_exempt = True
    # Who may use it is decided per operation: reads are public (public.py selectors
    # only), writes need a token (ninja's ``auth=token_auth``); tests/api checks both.
    wrapped.kyokan_access = PUBLIC
    return wrapped
