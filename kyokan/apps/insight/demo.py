"""Demo analyses: both rounds of the pre-survey 「あなたにとってDXとは」, aligned with the
adopted DX definition, so that the comparison between rounds shows something."""

from kyokan.apps.surveys.models import Question

from . import services


def load(ctx) -> None:
    questions = Question.objects.filter(
        survey__title="あなたにとってDXとは", kind=Question.Kind.TEXT
    ).order_by("survey__opens_on")
    for question in questions:
        run = services.analysis_start(actor=ctx.actor, question=question, with_reference=True)
        # The demo runs it at once instead of waiting for the background worker.
        services.analysis_execute(run_id=run.pk)
