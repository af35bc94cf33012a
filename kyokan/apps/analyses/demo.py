"""Demo analyses: both rounds of the pre-survey 「あなたにとってDXとは」, aligned with the DX
definition — the adopted one, or (as in the demo's story, where the definition is still
being drafted) the draft in consultation, named as such — and the comparison of the two
rounds on one scale (one set of groups, one shared embedding)."""

from kyokan.apps.documents import selectors as documents
from kyokan.apps.surveys.models import Question

from . import services


def load(ctx) -> None:
    questions = Question.objects.filter(
        survey__title="あなたにとってDXとは", kind=Question.Kind.TEXT
    ).order_by("survey__opens_on")
    definition = documents.dx_definition() or documents.dx_definition_in_consultation()
    for question in questions:
        run = services.analysis_start(
            actor=ctx.actor, question=question, with_reference=True, reference_version=definition
        )
        # The demo runs it at once instead of waiting for the background worker.
        services.analysis_execute(run_id=run.pk)
    rounds = list(questions)
    if len(rounds) >= 2:
        comparison = services.rounds_start(
            actor=ctx.actor,
            question=rounds[-1],
            earlier=rounds[0],
            with_reference=True,
            reference_version=definition,
        )
        services.analysis_execute(run_id=comparison.pk)
