"""`kyokan analyze INPUT.csv --out RESULT.json [--reference TEXT_FILE]`: the offline analysis
from the command line (Kouchou-AI style CSV in, JSON out), with the same arguments as
``python -m kyokan.textanalysis`` (both are :mod:`kyokan.textanalysis.__main__`). The JSON is
written only when the analysis succeeds, atomically: a failed run leaves no half-written file."""

from django.core.management.base import BaseCommand, CommandError

from kyokan.textanalysis import AnalysisInputError
from kyokan.textanalysis.__main__ import CliError, add_arguments, run


class Command(BaseCommand):
    help = "Analyse Japanese free-text comments offline (clusters, map, divergence, alignment)."

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, input, out, reference, coarse, fine, quiet, **options):
        if not out:
            raise CommandError("--out is required: the JSON file to write.")
        try:
            result = run(
                input=input, out=out, reference=reference, coarse=coarse, fine=fine, quiet=quiet
            )
        except (AnalysisInputError, CliError) as exc:
            raise CommandError(str(exc)) from exc
        stats = result["stats"]
        self.stdout.write(
            f"{stats['items']} comments, {stats['duplicates']} duplicates, "
            f"{stats['clusters']['coarse']} + {stats['clusters']['fine']} clusters, "
            f"divergence {stats['divergence']:.3f} → {out}"
        )
