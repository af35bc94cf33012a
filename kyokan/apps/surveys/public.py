"""What the public may see of the surveys app: the ONE place that decides it.

The portal, the open data and the public API read surveys only through this module.

- Surveys to take part in: those the secretariat addressed to the public (audience 「公開
  リンク」), open and within their dates; the public sees their title, purpose, dates and
  the link to answer.
- Results: only of a closed survey whose results the secretariat chose to publish
  (``Survey.results_public``) and that has at least ``MIN_GROUP`` counted responses; per
  question (choices, 5-point scales, numbers) the number of answers and the counts or the
  summary figures — free-text answers never, and a question answered by fewer than
  ``MIN_GROUP`` people is shown as hidden. No breakdown by bureau or role, no times.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import Question, Response, Survey

MIN_GROUP = selectors.MIN_GROUP
SURVEY_FIELDS = (
    "id", "title", "purpose", "opens_on", "closes_on", "state", "round_label", "audience",
    "anonymous", "results_public", "public_token",
)  # fmt: skip


def open_surveys(*, today=None) -> QuerySet[Survey]:
    """Public-link surveys open for answers today, closing soonest first."""
    today = today or timezone.localdate()
    return (
        Survey.objects.filter(
            audience=Survey.Audience.PUBLIC,
            state=Survey.State.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .only(*SURVEY_FIELDS)
        .order_by("closes_on", "id")
    )


def answer_url(survey: Survey) -> str:
    """The page where anyone answers a public survey (only for a public-link survey)."""
    if survey.audience != Survey.Audience.PUBLIC:
        raise ValueError("not a public survey")
    return reverse("surveys:public_answer", args=[survey.public_token])


def with_results() -> QuerySet[Survey]:
    """Closed surveys whose results are published (and have enough responses), newest
    first."""
    candidates = Survey.objects.filter(results_public=True, state=Survey.State.CLOSED)
    enough = [pk for pk, n in _response_counts(candidates).items() if n >= MIN_GROUP]
    return candidates.filter(pk__in=enough).only(*SURVEY_FIELDS).order_by("-closes_on", "-id")


def _response_counts(surveys) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Response.objects.counted()
        .filter(survey__in=surveys)
        .values("survey_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["survey_id"]: row["n"] for row in rows}


def survey_with_results(pk: int) -> Survey | None:
    return with_results().filter(pk=pk).first()


def response_count(survey: Survey) -> int:
    return selectors.counted_responses(survey)


def results(survey: Survey) -> list[dict]:
    """Per question (free text left out): ``question``, ``kind``, ``n`` and either
    ``hidden`` (fewer than MIN_GROUP answers) or ``rows`` [(label, count)] and ``mean``
    (choices, scales), or ``mean``/``median``/``min``/``max`` (numbers)."""
    if not (survey.results_public and survey.state == Survey.State.CLOSED):
        raise ValueError("results not public")
    out = []
    questions = (
        survey.questions.exclude(kind=Question.Kind.TEXT)
        .select_related("survey")
        .order_by("order", "id")
    )
    for question in questions:
        result = selectors.question_results(question)
        n = result.get("n", 0)
        row = {
            "question_id": question.pk,
            "order": question.order,
            "question": question.text,
            "kind": question.kind,
            "kind_label": str(question.get_kind_display()),
            "n": n,
        }
        if n < MIN_GROUP or result.get("suppressed"):
            row["hidden"] = True
        else:
            row["hidden"] = False
            for key in ("rows", "mean", "median", "min", "max"):
                if key in result:
                    row[key] = result[key]
        out.append(row)
    return out


def survey_dict(survey: Survey) -> dict:
    data = {
        "id": survey.pk,
        "title": survey.title,
        "purpose": survey.purpose,
        "round": survey.round_label,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "state": survey.state,
        "state_label": str(survey.get_state_display()),
        "results_public": bool(survey.results_public and survey.state == Survey.State.CLOSED),
    }
    if survey.audience == Survey.Audience.PUBLIC and survey.state == Survey.State.OPEN:
        data["answer_url"] = answer_url(survey)
    return data
