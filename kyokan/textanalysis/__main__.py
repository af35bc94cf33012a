"""Command line: ``python -m kyokan.textanalysis comments.csv -o result.json``.

Writes the JSON of :func:`kyokan.textanalysis.analyze_csv` only when the analysis succeeded
(through a temporary file renamed into place, so a failed run leaves no half result).
Exit status 2 with a message on stderr for unusable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from . import AnalysisInputError, analyze_csv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kyokan.textanalysis", description=__doc__)
    parser.add_argument("csv", help="CSV with comment-id, comment-body and attribute columns")
    parser.add_argument("-o", "--output", help="JSON file to write (default: standard output)")
    reference = parser.add_mutually_exclusive_group()
    reference.add_argument("--reference", help="reference text (e.g. the adopted DX definition)")
    reference.add_argument("--reference-file", help="file holding the reference text (UTF-8)")
    parser.add_argument("--coarse", type=int, help="number of coarse clusters (default: auto)")
    parser.add_argument("--fine", type=int, help="number of fine clusters (default: auto)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)

    text = args.reference
    if args.reference_file:
        text = Path(args.reference_file).read_text(encoding="utf-8-sig")

    def progress(fraction: float, message: str) -> None:
        print(f"{fraction * 100:5.1f} % {message}", file=sys.stderr, flush=True)

    try:
        result = analyze_csv(
            args.csv,
            reference=text,
            progress=None if args.quiet else progress,
            coarse=args.coarse,
            fine=args.fine,
        )
    except AnalysisInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    payload = json.dumps(result, ensure_ascii=False, indent=None)
    if not args.output:
        sys.stdout.write(payload + "\n")
        return 0
    target = Path(args.output)
    fd, temporary = tempfile.mkstemp(
        prefix=".textanalysis-", suffix=".json", dir=target.parent or "."
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
