"""Reads of the surveys app."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from kyokan.apps.core.models import User
from kyokan.apps.core.roles import CITY_STAFF_ROLES, HQ_ROLES, Role

from .models import LIKERT_LABELS, Answer, Question, Response, Survey
from .services import accepting_answers, is_in_audience, respondent_key_for_user


def surveys_for(user) -> QuerySet[Survey]:
    qs = Survey.objects.annotate(response_count=Count("responses"))
    if not user.has_perm("surveys.manage_surveys"):
        qs = qs.exclude(state=Survey.State.DRAFT)
    return qs.order_by("-opens_on", "-id")


def my_response(survey: Survey, user) -> Response | None:
    return (
        Response.objects.filter(survey=survey, respondent_key=respondent_key_for_user(survey, user))
        .prefetch_related("answers")
        .first()
    )


def answered_by(surveys, user) -> set[int]:
    """Which of these surveys the user has answered, in one query."""
    keys = {respondent_key_for_user(s, user): s.pk for s in surveys}
    found = Response.objects.filter(respondent_key__in=keys).values_list(
        "respondent_key", flat=True
    )
    return {keys[k] for k in found}


def open_for(user) -> list[Survey]:
    """Open surveys addressed to this user (for the dashboard)."""
    candidates = Survey.objects.filter(state=Survey.State.OPEN).prefetch_related("departments")
    return [s for s in candidates[:50] if accepting_answers(s) and is_in_audience(s, user)]


def audience_people(survey: Survey) -> QuerySet[User]:
    """The people a named survey is addressed to (not for public surveys)."""
    people = User.objects.filter(is_active=True)
    if survey.audience == Survey.Audience.ALL_STAFF:
        people = people.filter(role_assignments__role__in=list(CITY_STAFF_ROLES))
    elif survey.audience == Survey.Audience.HQ:
        people = people.filter(role_assignments__role__in=list(HQ_ROLES))
    elif survey.audience == Survey.Audience.ROLES:
        people = people.filter(role_assignments__role__in=survey.roles)
    elif survey.audience == Survey.Audience.DEPARTMENTS:
        ids = list(survey.departments.values_list("pk", flat=True))
        people = people.filter(Q(department__in=ids) | Q(department__parent__in=ids))
    else:
        return User.objects.none()
    return people.distinct()


def response_rate(survey: Survey) -> dict:
    """Response rate per bureau. Who has not answered is listed for named surveys only.

    A named survey is counted in the database (a few queries, whatever the audience's
    size); an anonymous one stores no respondent, so each person's keyed hash is checked."""
    audience = audience_people(survey).annotate(
        bureau=Coalesce("department__parent__name", "department__name")
    )
    if survey.anonymous:
        answered_keys = set(survey.responses.values_list("respondent_key", flat=True))

        def has_answered(pk: int) -> bool:
            return respondent_key_for_user(survey, User(pk=pk)) in answered_keys

        missing = []
    else:
        answered_ids = set(
            survey.responses.filter(respondent__isnull=False).values_list("respondent", flat=True)
        )

        def has_answered(pk: int) -> bool:
            return pk in answered_ids

        missing = (
            User.objects.filter(pk__in=audience.values("pk"))
            .exclude(pk__in=survey.responses.values("respondent"))
            .select_related("department")
            .order_by("full_name_kana", "id")
        )
    # Two plain queries and a pass in Python: fast for any audience size (a correlated
    # subquery per person was not, on SQLite).
    counts: dict[str, list[int]] = {}
    for pk, name in audience.values_list("pk", "bureau"):
        row = counts.setdefault(name or "—", [0, 0])
        row[0] += 1
        row[1] += has_answered(pk)
    table = [
        {"bureau": name, "audience": n, "answered": done, "rate": done / n if n else 0.0}
        for name, (n, done) in sorted(counts.items())
    ]
    total = sum(r["audience"] for r in table)
    answered = sum(r["answered"] for r in table)
    return {
        "rows": table,
        "audience": total,
        "answered": answered,
        "responses": survey.responses.count(),
        "rate": answered / total if total else None,
        "missing": missing,
        "missing_count": total - answered if not survey.anonymous else 0,
    }


def question_results(question: Question) -> dict:
    """Counts (choices, Likert), summary statistics (numbers) or the answers (text)."""
    answers = Answer.objects.filter(question=question)
    n = answers.count()
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        counts = Counter(
            i for choices in answers.values_list("choices", flat=True) for i in choices
        )
        rows = [(label, counts.get(i, 0)) for i, label in enumerate(question.choices)]
        return {"n": n, "rows": rows}
    if question.kind == Question.Kind.LIKERT:
        counts = Counter(int(v) for v in answers.values_list("number", flat=True))
        rows = [(f"{i} {LIKERT_LABELS[i - 1]}", counts.get(i, 0)) for i in range(1, 6)]
        mean = sum(i * c for i, c in counts.items()) / n if n else None
        return {"n": n, "rows": rows, "mean": mean}
    if question.kind == Question.Kind.NUMBER:
        values = sorted(answers.values_list("number", flat=True))
        if not values:
            return {"n": 0}
        mean = sum(values, Decimal(0)) / len(values)
        middle = len(values) // 2
        median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        return {"n": n, "mean": mean, "median": median, "min": values[0], "max": values[-1]}
    return {"n": n, "texts": answers.exclude(text="").order_by("id")}


def results(survey: Survey) -> list[tuple[Question, dict]]:
    return [(q, question_results(q)) for q in survey.questions.order_by("order", "id")]


def cross_tab(question: Question, by: str) -> dict:
    """A choice or Likert question broken down by bureau ("department") or role."""
    answers = Answer.objects.filter(question=question).select_related(
        "response__department__parent"
    )
    labels = (
        question.choices
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
        else [str(i) for i in range(1, 6)]
    )
    table: dict[str, Counter] = {}
    for answer in answers:
        if by == "role":
            key = str(Role(answer.response.role).label) if answer.response.role else "—"
        else:
            d = answer.response.department
            key = (d.parent or d).name if d else "—"
        values = answer.choices if answer.choices else [int(answer.number or 0) - 1]
        table.setdefault(key, Counter()).update(values)
    return {
        "labels": labels,
        "rows": [
            (key, [table[key].get(i, 0) for i in range(len(labels))]) for key in sorted(table)
        ],
    }


def compare_rounds(survey: Survey) -> list[dict]:
    """Each question of this survey matched (by text) with the previous round's."""
    previous = survey.previous_round
    if previous is None:
        return []
    earlier = {q.text: q for q in previous.questions.all()}
    rows = []
    for question in survey.questions.order_by("order", "id"):
        before = earlier.get(question.text)
        if before is None or before.kind != question.kind:
            continue
        rows.append(
            {"question": question, "before": question_results(before),
             "after": question_results(question)}
        )  # fmt: skip
    return rows
