"""The API's one error form, for every 4xx (and the 500 that must never happen):

    {"error": {"code": "...", "message": "...", "details": [{"field", "code", "message"}]}}

``message`` and each detail's ``message`` are in the request's language (Accept-Language,
Japanese by default), including the validation messages of pydantic/django-ninja, which are
translated here from their error types.
"""

from __future__ import annotations

import json
import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)


class ErrorDetail(Schema):
    field: str
    code: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by an endpoint: answered as ``status`` with ``code`` and ``message``."""

    def __init__(self, status: int, code: str, message: str, details=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, details=None, headers=None):
    body = {"error": {"code": code, "message": str(message), "details": details or []}}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- the standard errors, translated at the time of the request ------------------------------


def invalid(field: str, code: str, message: str) -> ApiError:
    """422 for data the boundary refuses (``validation_failed``), one field's detail."""
    return ApiError(
        422,
        "validation_failed",
        _("The data sent is not valid. Nothing was changed."),
        details=[{"field": field, "code": code, "message": message}],
    )


def refused(field: str, message: str) -> ApiError:
    """422 for a change that the app's rules refuse (``refused``), one field's detail."""
    return ApiError(
        422,
        "refused",
        _("The change was refused. Nothing was changed."),
        details=[{"field": field, "code": "invalid", "message": message}],
    )


def not_found():
    return error_response(404, "not_found", _("Nothing was found at this address."))


def method_not_allowed(allowed):
    return error_response(
        405,
        "method_not_allowed",
        _("This method is not allowed here (allowed: %(methods)s).")
        % {"methods": ", ".join(sorted(allowed))},
        headers={"Allow": ", ".join(sorted(allowed))},
    )


def unauthenticated():
    return error_response(
        401,
        "unauthenticated",
        _(
            "A valid API token is required: send it as “Authorization: Bearer <token>”. "
            "The token may be wrong or revoked."
        ),
        headers={"WWW-Authenticate": 'Bearer realm="kyokan"'},
    )


def too_many_requests(retry_after: int):
    return error_response(
        429,
        "rate_limited",
        _("Too many requests. Wait %(seconds)s seconds and try again.") % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def payload_too_large(limit: int):
    return error_response(
        413,
        "payload_too_large",
        _("The request body is too large (at most %(kb)s KB).") % {"kb": limit // 1024},
    )


def unsupported_media_type():
    return error_response(
        415,
        "unsupported_media_type",
        _("Send the request body as JSON (Content-Type: application/json)."),
    )


def internal_error():
    return error_response(
        500,
        "internal_error",
        _("Something went wrong on the server. Nothing was changed. Please report it."),
    )


# --- pydantic's validation errors in the request's language ----------------------------------


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not known."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
        "finite_number": _("Enter a finite number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter text."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_type": _("Enter a date as YYYY-MM-DD."),
        "string_unicode": _("The text is not valid Unicode."),
        "json_invalid": _("The JSON is not valid."),
    }
    if kind in messages:
        return messages[kind]
    if kind in ("greater_than_equal", "greater_than"):
        value = ctx.get("ge", ctx.get("gt"))
        template = (
            _("Enter a value of at least %(value)s.")
            if kind == "greater_than_equal"
            else _("Enter a value greater than %(value)s.")
        )
        return template % {"value": value}
    if kind in ("less_than_equal", "less_than"):
        value = ctx.get("le", ctx.get("lt"))
        template = (
            _("Enter a value of at most %(value)s.")
            if kind == "less_than_equal"
            else _("Enter a value less than %(value)s.")
        )
        return template % {"value": value}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("This field cannot be empty.")
    if kind == "string_too_short":
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind in ("too_long", "too_short"):
        return _("The list has the wrong number of items.")
    if kind in ("decimal_max_digits", "decimal_whole_digits", "decimal_max_places"):
        return _("The number has too many digits.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("The value has the wrong form.")
    if kind == "value_error":
        return str(ctx.get("error", "")) or _("The value is not valid.")
    return _("The value is not valid.")


def _field_name(loc) -> str:
    return ".".join(str(part) for part in loc)


def validation_details(errors: list[dict]) -> list[dict]:
    return [
        {
            "field": _field_name(e.get("loc", ())),
            "code": str(e.get("type", "invalid")),
            "message": _pydantic_message(e),
        }
        for e in errors
    ]


def django_validation_details(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {
                "field": "body" if field == "__all__" else f"body.{field}",
                "code": "invalid",
                "message": message,
            }
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": "body", "code": "invalid", "message": m} for m in exc.messages]


# --- django-ninja's exception handlers --------------------------------------------------------


def install(api) -> None:
    """Replace ninja's default handlers: every error gets the one form."""

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc: NinjaValidationError):
        details = validation_details(exc.errors)
        if all(d["field"].split(".")[0] in ("query", "path") for d in details):
            return error_response(
                400, "invalid_parameter", _("A parameter of the request is not valid."), details
            )
        return error_response(
            422, "validation_failed", _("The data sent is not valid. Nothing was changed."), details
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return unauthenticated()

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        if exc.status_code == 400:  # ninja: the body is not JSON
            return error_response(
                400,
                "malformed_json",
                _("The request body is not valid JSON. Nothing was changed."),
            )
        return error_response(exc.status_code, "error", str(exc))

    @api.exception_handler(DjangoValidationError)
    def _refused(request, exc: DjangoValidationError):
        return error_response(
            422,
            "refused",
            _("The change was refused. Nothing was changed."),
            django_validation_details(exc),
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return error_response(
            403, "forbidden", str(exc) or _("This token may not do that. Nothing was changed.")
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return not_found()

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return not_found()

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return internal_error()
