"""Command line: ``python -m kyokan.textanalysis comments.csv --out result.json
[--reference definition.txt]``; ``kyokan analyze`` takes the same arguments.

``--reference`` is a UTF-8 text file (e.g. the adopted DX definition). The JSON of
:func:`kyokan.textanalysis.analyze_csv` is written only when the analysis succeeded, through a
temporary file renamed into place, so a failed run leaves no half result. Exit status 2 with
a message on stderr for unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kyokan import atomicfile

from . import AnalysisInputError, analyze_csv


class CliError(Exception):
    """A file named on the command line cannot be used (the message says why)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of both command lines (this module's and ``kyokan analyze``)."""
    parser.add_argument("input", help="CSV with comment-id, comment-body and attribute columns")
    parser.add_argument(
        "-o", "--out", "--output", dest="out", help="JSON file to write (default: standard output)"
    )
    parser.add_argument("--reference", help="a UTF-8 text file to measure alignment with")
    parser.add_argument("--coarse", type=int, help="number of coarse clusters (default: auto)")
    parser.add_argument("--fine", type=int, help="number of fine clusters (default: auto)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def read_reference(path: str | None) -> str | None:
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8-sig").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"Cannot read the reference text {path}: {exc}") from exc
    if not text:
        raise CliError(f"The reference text {path} is empty.")
    return text


def write_atomic(result: dict, target: Path) -> None:
    atomicfile.write_text(target, json.dumps(result, ensure_ascii=False))


def run(*, input: str, out: str | None, reference: str | None, coarse, fine, quiet) -> dict:
    """Analyse ``input`` and write the result to ``out`` (atomically) or standard output."""
    if not Path(input).is_file():
        raise CliError(f"No such file: {input}")
    text = read_reference(reference)

    def progress(fraction: float, message: str) -> None:
        print(f"{fraction * 100:5.1f} % {message}", file=sys.stderr, flush=True)

    result = analyze_csv(
        input, reference=text, progress=None if quiet else progress, coarse=coarse, fine=fine
    )
    if out:
        write_atomic(result, Path(out))
    else:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kyokan.textanalysis", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run(**vars(args))
    except (AnalysisInputError, CliError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
