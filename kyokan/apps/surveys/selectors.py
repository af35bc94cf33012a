"""Reads of the surveys app."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from kyokan.apps.core.hr import department_names_on
from kyokan.apps.core.models import User
from kyokan.apps.core.predicates import roles_of
from kyokan.apps.core.roles import CITY_STAFF_ROLES, HQ_ROLES, Role

from .models import LIKERT_LABELS, Answer, Participation, Question, Response, Survey
from .services import accepting_answers, edit_code_hash, is_in_audience, visitor_key

# Anonymous surveys never show a group of fewer respondents than this.
MIN_GROUP = 5


def can_see(survey: Survey, user) -> bool:
    """A survey (its title and questions) is seen by those who run surveys, those who read
    results (once it has opened), and its audience (once it has opened)."""
    if user.has_perm("surveys.manage_surveys"):
        return True
    if survey.state == Survey.State.DRAFT:
        return False
    return user.has_perm("surveys.view_results") or is_in_audience(survey, user)


def _audience_filter(user) -> Q:
    """The surveys addressed to ``user`` (as ``is_in_audience``), as a query. Never a
    public-link survey: that one is for the public, not for anyone by name."""
    roles = roles_of(user)
    q = Q(pk__in=[])
    if roles & CITY_STAFF_ROLES:
        q |= Q(audience=Survey.Audience.ALL_STAFF)
    if roles & HQ_ROLES:
        q |= Q(audience=Survey.Audience.HQ)
    by_role = [
        pk
        for pk, wanted in Survey.objects.filter(audience=Survey.Audience.ROLES).values_list(
            "pk", "roles"
        )
        if roles & set(wanted or [])
    ]
    if by_role:
        q |= Q(pk__in=by_role)
    department = user.department
    if department is not None:
        ids = [department.pk] + ([department.parent_id] if department.parent_id else [])
        q |= Q(audience=Survey.Audience.DEPARTMENTS, departments__in=ids)
    return q


def surveys_for(user) -> QuerySet[Survey]:
    counted = Q(responses__voided_at__isnull=True) & (
        Q(responses__import_batch__isnull=True) | Q(responses__import_batch__published=True)
    )
    qs = Survey.objects.all()
    if not user.has_perm("surveys.manage_surveys"):
        qs = qs.exclude(state=Survey.State.DRAFT)
        if not user.has_perm("surveys.view_results"):
            wanted = Survey.objects.filter(_audience_filter(user)).values("pk")
            qs = qs.filter(pk__in=wanted)
    qs = qs.annotate(response_count=Count("responses", filter=counted))
    return qs.order_by("-opens_on", "-id")


def my_response(survey: Survey, user, *, edit_code: str | None = None) -> Response | None:
    """The user's own response: by name in a named survey; in an anonymous one only
    through the edit code the respondent holds (there is no other way to find it)."""
    if survey.anonymous:
        if not edit_code:
            return None
        found = Response.objects.filter(survey=survey, edit_code_hash=edit_code_hash(edit_code))
    else:
        if not getattr(user, "is_authenticated", False):
            return None
        found = Response.objects.filter(survey=survey, respondent=user)
    return found.prefetch_related("answers").first()


def has_answered(survey: Survey, user=None, *, visitor: str | None = None) -> bool:
    if survey.anonymous:
        if visitor:
            return Participation.objects.filter(
                survey=survey, visitor_key=visitor_key(survey, visitor)
            ).exists()
        if not getattr(user, "is_authenticated", False):
            return False
        return Participation.objects.filter(survey=survey, user=user).exists()
    if not getattr(user, "is_authenticated", False):
        return False
    return Response.objects.filter(survey=survey, respondent=user).exists()


def answered_by(surveys, user) -> set[int]:
    """Which of these surveys the user has answered, in two queries."""
    ids = [s.pk for s in surveys]
    named = Response.objects.filter(survey__in=ids, respondent=user).values_list(
        "survey", flat=True
    )
    anonymous = Participation.objects.filter(survey__in=ids, user=user).values_list(
        "survey", flat=True
    )
    return set(named) | set(anonymous)


def counted_responses(survey: Survey) -> int:
    return Response.objects.filter(survey=survey).counted().count()


def suppressed(survey: Survey, n: int) -> bool:
    """Whether a group of ``n`` respondents of this survey must not be shown."""
    return survey.anonymous and 0 < n < MIN_GROUP


def open_for(user) -> list[Survey]:
    """Open surveys addressed to this user (the dashboard, "my work", the survey list),
    the nearest closing date first. Never a public-link survey (it is for the public)."""
    today = timezone.localdate()
    candidates = (
        Survey.objects.filter(state=Survey.State.OPEN, opens_on__lte=today, closes_on__gte=today)
        .exclude(audience=Survey.Audience.PUBLIC)
        .filter(pk__in=Survey.objects.filter(_audience_filter(user)).values("pk"))
        .prefetch_related("departments")
        .order_by("closes_on", "id")
    )
    return [s for s in candidates[:50] if accepting_answers(s) and is_in_audience(s, user)]


def to_answer(user, *, limit: int = 50) -> list[Survey]:
    """Open surveys addressed to this user that they have not answered yet ("my work")."""
    surveys = open_for(user)
    done = answered_by(surveys, user)
    return [s for s in surveys if s.pk not in done][:limit]


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


def non_respondents_of(survey: Survey) -> QuerySet[User]:
    """The audience of a named survey who have not answered, in the order of the
    department tree, then by name (what ``response_rate`` counts as not answered). Nobody
    for an anonymous or public survey: no list of who has not answered exists there."""
    if survey.anonymous or survey.audience == Survey.Audience.PUBLIC:
        return User.objects.none()
    answered = Response.objects.filter(survey=survey, respondent__isnull=False).values("respondent")
    return (
        User.objects.filter(pk__in=audience_people(survey).values("pk"))
        .exclude(pk__in=answered)
        .select_related("department__parent")
        .order_by(
            "department__parent__sort_order",
            "department__sort_order",
            "full_name_kana",
            "id",
        )
    )


def response_rate(survey: Survey) -> dict:
    """Response rate per bureau. Who has not answered is listed for named surveys only.

    A named survey's respondents are its responses' respondents; an anonymous survey's are
    its participations (which say who took part, not which answers are theirs)."""
    audience = audience_people(survey).annotate(
        bureau=Coalesce("department__parent__name", "department__name")
    )
    if survey.anonymous:
        answered_ids = set(
            Participation.objects.filter(survey=survey, user__isnull=False).values_list(
                "user", flat=True
            )
        )

        def has_answered(pk: int) -> bool:
            return pk in answered_ids

        missing = []
    else:
        answered_ids = set(
            survey.responses.filter(respondent__isnull=False).values_list("respondent", flat=True)
        )

        def has_answered(pk: int) -> bool:
            return pk in answered_ids

        missing = non_respondents_of(survey)
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
        "responses": counted_responses(survey),
        "rate": answered / total if total else None,
        "missing": missing,
        "missing_count": total - answered if not survey.anonymous else 0,
    }


def question_results(question: Question) -> dict:
    """Counts (choices, Likert), summary statistics (numbers) or the answers (text).
    For an anonymous survey, a question answered by fewer than MIN_GROUP respondents gives
    only ``{"n": n, "suppressed": True}``."""
    answers = Answer.objects.counted().filter(question=question)
    n = answers.count()
    if suppressed(question.survey, n):
        return {"n": n, "suppressed": True}
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
    # In the order written (named), imported rows in their file's order; an anonymous
    # survey's answers have no order (random ids).
    texts = answers.exclude(text="").order_by(
        "response__submitted_at", "response__import_batch", "response__attributes__import_row", "id"
    )
    return {"n": n, "texts": texts}


def results(survey: Survey) -> list[tuple[Question, dict]]:
    return [
        (q, question_results(q))
        for q in survey.questions.select_related("survey").order_by("order", "id")
    ]


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def survey_day(survey: Survey):
    """The day a survey's answers are dated by, for the names of divisions: its closing
    day, or today while it runs."""
    return min(survey.closes_on, timezone.localdate())


def cross_tab(question: Question, by: str) -> dict:
    """A choice or Likert question broken down by bureau ("department") or role, in two
    queries: ``{"rows": [(key, counts per option, respondents of the row)]}`` sorted by key.
    A row's respondents are its answers (for multiple choice not the sum of its counts).
    Bureaus carry the name they had when the survey ran (a bureau renamed since by the HR
    import keeps its name of then)."""
    multiple_kinds = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
    width = len(question.choices) if question.kind in multiple_kinds else 5
    counts: dict[str, list[int]] = {}
    sizes: dict[str, int] = {}
    answers = (
        Answer.objects.counted()
        .filter(question=question)
        .values_list(
            "choices",
            "number",
            "response__role",
            "response__department_id",
            "response__department__parent_id",
        )
    )
    rows = list(answers)
    names = {}
    if by != "role":
        bureaus = {parent or department for _c, _n, _r, department, parent in rows}
        names = department_names_on(bureaus, survey_day(question.survey))
    for choices, number, role, department, parent in rows:
        if by == "role":
            key = _role_label(role) if role else "—"
        else:
            key = names.get(parent or department) or "—"
        row = counts.setdefault(key, [0] * width)
        sizes[key] = sizes.get(key, 0) + 1
        for i in choices if choices else [int(number or 0) - 1]:
            if 0 <= i < width:
                row[i] += 1
    return {"rows": [(key, counts[key], sizes[key]) for key in sorted(counts)]}


def compare_rounds(survey: Survey) -> list[dict]:
    """Each question of this survey matched (by text) with the previous round's."""
    previous = survey.previous_round
    if previous is None:
        return []
    earlier = {q.text: q for q in previous.questions.select_related("survey")}
    rows = []
    for question in survey.questions.select_related("survey").order_by("order", "id"):
        before = earlier.get(question.text)
        if before is None or before.kind != question.kind:
            continue
        rows.append(
            {"question": question, "before": question_results(before),
             "after": question_results(question)}
        )  # fmt: skip
    return rows
