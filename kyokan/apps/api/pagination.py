"""Lists: one count and one page of rows (plus a fixed number of prefetches), whatever the
size of the data; unknown query parameters are refused rather than ignored."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import ApiError


def reject_unknown(request, params_schema=None) -> None:
    allowed = set(params_schema.model_fields) if params_schema is not None else set()
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ApiError(
            400,
            "unknown_parameter",
            _("Unknown parameter: %(names)s. Allowed: %(allowed)s.")
            % {
                "names": ", ".join(unknown)[:200],
                "allowed": ", ".join(sorted(allowed)) or _("none"),
            },
            details=[
                {
                    "field": f"query.{name}"[:100],
                    "code": "unknown_parameter",
                    "message": _("This parameter is not known."),
                }
                for name in unknown[:20]
            ],
        )


def page(request, queryset, params, serialize, *, prepare=None) -> dict:
    reject_unknown(request, type(params))
    count = queryset.count()
    rows = list(queryset[params.offset : params.offset + params.limit]) if count else []
    if prepare is not None and rows:
        rows = prepare(rows)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "results": [serialize(row) for row in rows],
    }
