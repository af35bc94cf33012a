"""`kyokan analyze INPUT.csv --out RESULT.json [--reference TEXT_FILE]`: the offline analysis
from the command line (Kouchou-AI style CSV in, JSON out). The JSON is written only when the
analysis succeeds, atomically: a failed run leaves no half-written file."""

import json
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kyokan import textanalysis


class Command(BaseCommand):
    help = "Analyse Japanese free-text comments offline (clusters, map, divergence, alignment)."

    def add_arguments(self, parser):
        parser.add_argument("input", help="CSV with comment-id, comment-body and attributes")
        parser.add_argument("--out", required=True, help="where to write the JSON result")
        parser.add_argument("--reference", help="a text file to measure alignment with")
        parser.add_argument("--coarse", type=int, help="number of coarse clusters")
        parser.add_argument("--fine", type=int, help="number of fine clusters")
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def handle(self, *args, input: str, out: str, reference, coarse, fine, quiet, **options):
        reference_text = None
        if reference:
            try:
                reference_text = Path(reference).read_text(encoding="utf-8-sig").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read the reference text {reference}: {exc}") from exc
            if not reference_text:
                raise CommandError(f"The reference text {reference} is empty.")
        if not Path(input).is_file():
            raise CommandError(f"No such file: {input}")

        def progress(fraction: float, message: str) -> None:
            if not quiet:
                sys.stderr.write(f"\r{fraction * 100:5.1f}% {message:<40}")
                sys.stderr.flush()

        try:
            result = textanalysis.analyze_csv(
                input, reference=reference_text, progress=progress, coarse=coarse, fine=fine
            )
        except textanalysis.AnalysisInputError as exc:
            raise CommandError(str(exc)) from exc
        if not quiet:
            sys.stderr.write("\n")
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".analyze-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(result, stream, ensure_ascii=False)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        stats = result["stats"]
        self.stdout.write(
            f"{stats['items']} comments, {stats['duplicates']} duplicates, "
            f"{stats['clusters']['coarse']} + {stats['clusters']['fine']} clusters, "
            f"divergence {stats['divergence']:.3f} → {target}"
        )
