"""Reading the CSV files people upload (UTF-8, UTF-8 with BOM, UTF-16 with BOM, CP932), with
messages in the user's language. The decoding itself is the text library's one decoder
(``kyokan.textanalysis.io.decode_bytes``); every module reads CSV through :func:`decode`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyokan.textanalysis.io import AnalysisInputError, decode_bytes

#: The decoder's error codes (``kyokan.textanalysis.io.CODES``), translated.
DECODING_ERRORS = {
    "utf8_broken_after_bom": _(
        "The file starts as UTF-8 but has broken bytes at position %(position)s. Save it "
        "again as CSV in UTF-8 or Shift_JIS (CP932)."
    ),
    "utf16_broken": _(
        "The file is UTF-16 but has broken bytes. Save it again as CSV in UTF-8 or "
        "Shift_JIS (CP932)."
    ),
    "utf8_broken": _(
        "The file is UTF-8 but has %(broken)s broken byte sequences (the first at byte "
        "%(position)s). Save it again as CSV in UTF-8 or Shift_JIS (CP932)."
    ),
    "encoding_unknown": _(
        "The file's characters could not be read (UTF-8 and Shift_JIS/CP932 were tried). "
        "Save it as CSV in UTF-8."
    ),
    "binary": _(
        "The file is not a text CSV file (it may be an Excel workbook, or UTF-16 without "
        "its byte order mark). Save it as CSV in UTF-8 or Shift_JIS (CP932)."
    ),
}


def decode_error_text(exc: AnalysisInputError) -> str:
    message = DECODING_ERRORS.get(exc.code)
    if message is None:
        return str(exc)
    try:
        return str(message) % exc.params
    except (KeyError, TypeError, ValueError):
        return str(message)


def decode(data: bytes) -> str:
    """The text of an uploaded CSV file, or a ValidationError saying why it cannot be read."""
    try:
        text, _encoding = decode_bytes(data)
    except AnalysisInputError as exc:
        raise ValidationError(decode_error_text(exc), code=exc.code) from exc
    return text
