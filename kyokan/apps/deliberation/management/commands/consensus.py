"""`kyokan consensus DIR --out RESULT.json`: the Polis-method analysis of a Polis export
(comments.csv, votes.csv, participants-votes.csv) from the command line.

RESULT.json holds ``participants`` (id, group), ``groups`` (id, size, representative:
statement ids), ``consensus`` and ``divisive`` (statement ids), ``stats``, and every number
behind them under ``details``. It is written only when the analysis succeeds, atomically: a
failed run leaves no file. ``--compare`` also prints the agreement with the groups Polis
itself found (``group-id`` of participants-votes.csv), which the analysis never reads."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kyokan import atomicfile
from kyokan.consensus import ConsensusInputError, analyze
from kyokan.consensus.evaluation import compare_with_polis
from kyokan.consensus.polis import read_export


class Command(BaseCommand):
    help = "Analyse a Polis export: opinion groups, representative, consensus, divisive statements."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder holding comments.csv and votes.csv")
        parser.add_argument("--out", required=True, help="where to write the JSON result")
        parser.add_argument(
            "--compare",
            action="store_true",
            help="print the agreement with Polis's own groups (group-id) when the export has them",
        )

    def handle(self, *args, directory: str, out: str, compare: bool, **options):
        try:
            export = read_export(directory)
            result = analyze(export.to_votes())
        except ConsensusInputError as exc:
            raise CommandError(f"{exc}\n{exc.message_ja}") from exc
        target = Path(out)
        try:
            atomicfile.write_text(target, json.dumps(result.summary_json(), ensure_ascii=False))
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror}") from exc
        stats = result.stats
        self.stdout.write(
            f"{stats['participants']} participants ({stats['participants_in']} grouped), "
            f"{stats['statements']} statements, {stats['votes']} votes: {stats['k']} groups, "
            f"{len(result.consensus)} consensus, {len(result.divisive)} divisive → {target}"
        )
        if compare:
            if not export.polis_groups:
                self.stdout.write("No group-id in the export: nothing to compare with.")
                return
            figures = compare_with_polis(result, export.polis_groups)
            self.stdout.write(
                "Against Polis's groups: adjusted Rand index {ari:.3f} (over the {both} "
                "participants both grouped: {ari_both}), placed alike {alike:.1%}, "
                "Polis k {pk} / ours {k}".format(
                    ari=figures["ari"],
                    both=figures["both_grouped"],
                    ari_both="—" if figures["ari_both"] is None else f"{figures['ari_both']:.3f}",
                    alike=figures["placed_alike"],
                    pk=figures["polis_k"],
                    k=figures["k"],
                )
            )
