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


def bounded_rows(
    rows, *, filled_max: int, rows_max: int, columns_max: int, text, error=ValidationError
) -> list[list]:
    """The rows of an uploaded sheet (a CSV reader's, or a read-only workbook's with its
    declared size reset), refused while reading — the file's size does not bound them: 5 MB
    of line breaks are 5 million rows, a 5 KB workbook reaches XFD1048576. ``error`` (a
    ValidationError class) is raised past ``filled_max`` filled rows (the heading and that
    many more), ``rows_max`` rows blank ones included, or a row filling a column past
    ``columns_max``; cells further right are dropped, trailing blank cells trimmed and a blank
    row kept as ``[]`` (row numbers stay the file's). ``text(cell)`` is the cell's text."""
    table: list[list] = []
    filled = 0
    for row in rows:
        if len(table) >= rows_max:
            raise error(
                _(
                    "The sheet has more than %(n)s rows, blank rows included: delete the rows "
                    "below the table."
                )
                % {"n": f"{rows_max:,}"}
            )
        if len(row) > columns_max:
            if any(text(c) for c in row[columns_max:]):
                raise error(
                    _(
                        "Row %(row)s has more than %(n)s columns: delete the columns to the "
                        "right of the table."
                    )
                    % {"row": f"{len(table) + 1:,}", "n": columns_max}
                )
            row = row[:columns_max]
        if any(text(c) for c in row):
            row = list(row)
            while row[-1] is None or row[-1] == "":  # a read-only sheet pads every row
                row.pop()
            filled += 1
            if filled > filled_max + 1:
                raise error(_("The file has more than %(n)s rows.") % {"n": f"{filled_max:,}"})
            table.append(row)
        else:
            table.append([])
    return table
