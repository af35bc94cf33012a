"""The API's operations, one module per area. Reads use the apps' ``public.py`` only."""

from ..errors import ErrorOut

READ_ERRORS = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}
WRITE_ERRORS = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut,
    415: ErrorOut, 422: ErrorOut, 429: ErrorOut,
}  # fmt: skip
