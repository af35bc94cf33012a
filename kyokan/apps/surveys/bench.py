"""`make bench` for surveys: the pre-survey answered by 10,000 staff (free text, a choice and
a Likert question), its pages, exports and a finished analysis of its free text."""

import random

from django.utils import timezone

from kyokan.apps.core.bench import BenchPage
from kyokan.apps.surveys.demo import BEFORE, BEFORE_WEIGHTS, ENDINGS

from . import services
from .models import Answer, Question, Response, Survey

RESPONSES = 10_000


def fill(admin, log) -> None:
    from kyokan.apps.core.models import User

    today = timezone.localdate()
    survey = services.survey_create(
        actor=admin, title="性能試験 あなたにとってDXとは", opens_on=today, closes_on=today,
        audience=Survey.Audience.ALL_STAFF,
    )  # fmt: skip
    text = services.question_create(actor=admin, survey=survey, kind="text", text="DXとは")
    choice = services.question_create(
        actor=admin, survey=survey, kind="single", text="職種", choices=["事務", "技術", "福祉"]
    )
    likert = services.question_create(actor=admin, survey=survey, kind="likert", text="理解度")
    services.survey_open(actor=admin, survey=survey)
    people = list(User.objects.filter(username__startswith="bench0").select_related(
        "department__parent")[:RESPONSES])  # fmt: skip
    rng = random.Random(3)
    now = timezone.now()
    responses = Response.objects.bulk_create(
        (
            Response(
                survey=survey,
                respondent=p,
                department=p.department,
                role="staff",
                submitted_at=now,
                updated_at=now,
            )
            for p in people
        ),
        batch_size=2000,
    )
    themes, weights = list(BEFORE_WEIGHTS), list(BEFORE_WEIGHTS.values())
    answers = []
    for response in responses:
        theme = rng.choices(themes, weights=weights)[0]
        answers.append(Answer(response=response, question=text,
                              text=rng.choice(BEFORE[theme]) + rng.choice(ENDINGS)))  # fmt: skip
        answers.append(Answer(response=response, question=choice, choices=[rng.randrange(3)]))
        answers.append(Answer(response=response, question=likert, number=rng.randint(1, 5)))
    Answer.objects.bulk_create(answers, batch_size=5000)
    from kyokan.apps.analyses import services as analysis_services

    run = analysis_services.analysis_start(actor=admin, question=text, with_reference=False)
    analysis_services.analysis_execute(run_id=run.pk)
    log(f"  a survey with {len(responses)} responses ({len(answers)} answers), analysed")


def _survey_pk() -> int:
    return Survey.objects.filter(title__startswith="性能試験").values_list("pk", flat=True).get()


def _text_question_pk() -> int:
    return (
        Question.objects.filter(survey=_survey_pk(), kind="text").values_list("pk", flat=True).get()
    )


def _run_pk() -> int:
    from kyokan.apps.analyses.models import AnalysisRun

    return (
        AnalysisRun.objects.filter(question=_text_question_pk()).values_list("pk", flat=True).get()
    )


PAGES = [
    BenchPage("surveys.list", lambda: "/surveys/"),
    BenchPage("surveys.detail", lambda: f"/surveys/{_survey_pk()}/"),
    BenchPage("surveys.results.10000", lambda: f"/surveys/{_survey_pk()}/results/"),
    BenchPage("surveys.export_csv.10000", lambda: f"/surveys/{_survey_pk()}/export.csv"),
    BenchPage("analyses.list", lambda: "/analyses/"),
    BenchPage("analyses.run.10000", lambda: f"/analyses/{_run_pk()}/"),
]
