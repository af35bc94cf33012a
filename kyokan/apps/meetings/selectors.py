"""Reads of the meetings app."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.hr import department_names_on
from kyokan.apps.core.models import ClosedDay, Department, Municipality
from kyokan.apps.core.roles import Role
from kyokan.textanalysis.normalize import fold

from .dates import needs_year, slot_label
from .models import (
    ActionItem,
    AgendaItem,
    ExpertInput,
    Invitation,
    Meeting,
    Paper,
    PollAnswer,
    PollCandidate,
    SkillAssessment,
    SkillAxis,
)


def meetings_for(user, *, kind: str = "", status: str = "", q: str = "") -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("series", "course")
    if not user.has_perm("meetings.view_all_meetings"):
        qs = qs.filter(invitations__person=user)
    if kind:
        qs = qs.filter(series__kind=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(theme__icontains=q) | Q(series__name__icontains=q))
    return qs.annotate(
        invitation_count=Count("invitations", distinct=True),
    ).order_by("-starts_at", "-id")


def meeting_detail(meeting: Meeting) -> dict:
    """Everything the meeting page shows, in a fixed number of queries."""
    items = list(
        meeting.agenda_items.select_related("presenter").prefetch_related(
            "links",
            Prefetch("papers", queryset=Paper.objects.order_by("number")),
            Prefetch("decisions"),
        )
    )
    carried = list(
        meeting.carried_action_items.select_related("owner", "department", "meeting__series")
    )
    actions = list(meeting.action_items.select_related("owner", "department", "agenda_item"))
    with_department_names(actions)
    return {
        "agenda_items": items,
        "has_minutes": any(item.minutes_text for item in items),
        "papers": list(meeting.papers.select_related("agenda_item").order_by("number")),
        "invitations": list(meeting.invitations.select_related("person__department")),
        "decisions": list(meeting.decisions.select_related("agenda_item")),
        "action_items": actions,
        "carried_actions": carried,
        "expert_inputs": list(meeting.expert_inputs.select_related("expert__person")),
        "poll": getattr(meeting, "poll", None) if _has_poll(meeting) else None,
    }


def _has_poll(meeting: Meeting) -> bool:
    try:
        meeting.poll  # noqa: B018 - the reverse one-to-one raises when missing
    except Meeting.poll.RelatedObjectDoesNotExist:
        return False
    return True


def people_to_invite(*, people=(), role: str = "", department=None) -> list:
    """The people an invitation names: chosen one by one, everyone active with ``role``,
    and everyone active in ``department`` (a bureau includes its divisions), each once."""
    from kyokan.apps.core.models import User

    found = {p.pk: p for p in people}
    if role:
        for person in User.objects.filter(role_assignments__role=role, is_active=True):
            found.setdefault(person.pk, person)
    if department is not None:
        in_department = User.objects.filter(is_active=True).filter(
            Q(department=department) | Q(department__parent=department)
        )
        for person in in_department.order_by("department__sort_order", "id"):
            found.setdefault(person.pk, person)
    return list(found.values())


# --- date poll ---------------------------------------------------------------------------------

ANSWER_VALUE = {PollAnswer.Choice.YES: 1.0, PollAnswer.Choice.MAYBE: 0.5, PollAnswer.Choice.NO: 0.0}
REQUIRED_WEIGHT = 3.0


@dataclass
class CandidateRow:
    candidate: PollCandidate
    closed_reason: str | None  # why the city office is closed that day (weekend, holiday…)
    answers: dict[int, PollAnswer]  # invitation id → answer
    yes: int
    maybe: int
    no: int
    required_missing: list[str]  # required invitees who answered × (or nothing yet)
    score: float
    label: str = ""  # the slot as people read it, e.g. "2月4日(金) 14:00–15:30"
    rank: int = 0


def closure_reasons(days, municipality: Municipality | None = None) -> dict[date, str | None]:
    """Why the city office is closed on each of ``days`` (None when it is open): the city's
    own closed days, holidays, the year-end closure (if the city keeps it) and weekends.
    One query whatever the number of days."""
    days = sorted(set(days))
    if not days:
        return {}
    extra = dict(
        ClosedDay.objects.filter(date__range=(days[0], days[-1])).values_list("date", "name")
    )
    if municipality is None:
        municipality = Municipality.objects.first()
    year_end = municipality.year_end_closure if municipality else True
    return {
        d: japanese_dates.closure_reason(d, extra_closed=extra, year_end_closure=year_end)
        for d in days
    }


def rank_key(row: CandidateRow):
    """Dates on which the city office is closed last (a 閉庁日, a weekend or a holiday is a
    date nobody should be asked to meet on); then dates that a required invitee cannot
    attend; then by score, by number of ○, and the earlier date."""
    return (
        row.closed_reason is not None,
        len(row.required_missing),
        -row.score,
        -row.yes,
        row.candidate.starts_at,
    )


def poll_table(poll, municipality: Municipality | None = None) -> dict:
    """Candidates with every answer, the city's closure reason for each day, and a ranking
    (:func:`rank_key`): ○ counts 1, △ 0.5 and × 0, and a required invitee's answer counts
    three times. ``best`` is the first ranked date on which the office is open (None when
    every candidate falls on a closed day): the date offered by default when fixing."""
    invitations = list(poll.meeting.invitations.select_related("person"))
    candidates = list(poll.candidates.prefetch_related("answers"))
    reasons = closure_reasons(
        (timezone.localtime(c.starts_at).date() for c in candidates), municipality
    )
    with_year = needs_year([c.starts_at for c in candidates])
    rows = []
    for candidate in candidates:
        answers = {a.invitation_id: a for a in candidate.answers.all()}
        score = 0.0
        counts = {PollAnswer.Choice.YES: 0, PollAnswer.Choice.MAYBE: 0, PollAnswer.Choice.NO: 0}
        missing = []
        for invitation in invitations:
            answer = answers.get(invitation.pk)
            weight = REQUIRED_WEIGHT if invitation.required else 1.0
            if answer is not None:
                counts[answer.choice] += 1
                score += weight * ANSWER_VALUE[answer.choice]
            if invitation.required and (answer is None or answer.choice == PollAnswer.Choice.NO):
                missing.append(invitation.display_name)
        rows.append(
            CandidateRow(
                candidate=candidate,
                closed_reason=reasons[timezone.localtime(candidate.starts_at).date()],
                answers=answers,
                yes=counts[PollAnswer.Choice.YES],
                maybe=counts[PollAnswer.Choice.MAYBE],
                no=counts[PollAnswer.Choice.NO],
                required_missing=missing,
                score=score,
                label=slot_label(candidate.starts_at, candidate.ends_at, with_year=with_year),
            )
        )
    ranked = sorted(rows, key=rank_key)
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    answered = {a for row in rows for a in row.answers}
    return {
        "invitations": invitations,
        "rows": rows,
        "ranked": ranked,
        "best": next((r for r in ranked if r.closed_reason is None), None),
        "closed_rows": [r for r in rows if r.closed_reason],
        "with_year": with_year,
        "not_answered": [i for i in invitations if i.pk not in answered],
    }


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("meeting__series", "person").filter(token=token).first()
    )


# --- action items ------------------------------------------------------------------------------


def overdue_actions(*, user=None, today: date | None = None) -> QuerySet[ActionItem]:
    today = today or timezone.localdate()
    qs = ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_date__lt=today)
    if user is not None:
        qs = qs.filter(owner=user)
    return qs.select_related("owner", "department", "meeting__series").order_by("due_date", "id")


def actions_list(*, status: str = "", owner=None, department=None) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.select_related("owner", "department", "meeting__series")
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if department is not None:
        qs = qs.filter(Q(department=department) | Q(department__parent=department))
    return qs.order_by("status", "due_date", "id")


def meeting_day(meeting: Meeting) -> date:
    """The day a meeting was (or will be) held; today while its date is not fixed."""
    if meeting.starts_at is None:
        return timezone.localdate()
    return timezone.localtime(meeting.starts_at).date()


def with_department_names(actions) -> list[ActionItem]:
    """Set ``department_name`` on each action item (its meeting's series and date loaded):
    the name its department had on the day of its meeting, so that a division renamed
    since (HR import) shows as it was then. One query per meeting day on the page."""
    by_day = defaultdict(list)
    for action in actions:
        action.department_name = ""
        if action.department_id:
            by_day[meeting_day(action.meeting)].append(action)
    for day, group in by_day.items():
        names = department_names_on({a.department_id for a in group}, day)
        for action in group:
            action.department_name = names.get(action.department_id, "")
    return actions


def actions_by_id(ids) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(pk__in=list(ids))
        .select_related("meeting__series")
        .order_by("due_date", "id")
    )


# --- knowledge ---------------------------------------------------------------------------------


def expert_inputs_search(q: str = "") -> QuerySet[ExpertInput]:
    qs = ExpertInput.objects.select_related("meeting__series", "expert__person")
    needle = fold(q)
    if needle:
        qs = qs.filter(search_text__contains=needle)
    return qs.order_by("-meeting__starts_at", "-id")


# --- calendar ----------------------------------------------------------------------------------


def upcoming_meetings(*, user=None, hq_only: bool = False) -> QuerySet[Meeting]:
    now = timezone.now()
    qs = Meeting.objects.select_related("series").filter(
        starts_at__gte=now - timezone.timedelta(hours=12),
        status=Meeting.Status.SCHEDULED,
    )
    if user is not None:
        qs = qs.filter(invitations__person=user)
    if hq_only:
        qs = qs.filter(series__kind__in=["hq", "team"])
    return qs.order_by("starts_at", "id")


def meetings_ahead(*, user) -> QuerySet[Meeting]:
    """The meetings ``user`` is invited to that are still ahead: scheduled ones that have
    not passed, and those whose date is still being polled (upcoming, without a date yet).
    Dated ones first, by date."""
    now = timezone.now()
    return (
        Meeting.objects.select_related("series")
        .filter(invitations__person=user)
        .filter(
            Q(status=Meeting.Status.SCHEDULED, starts_at__gte=now - timezone.timedelta(hours=12))
            | Q(status=Meeting.Status.PLANNING)
        )
        .order_by(F("starts_at").asc(nulls_last=True), "id")
    )


def polls_to_answer(*, user) -> QuerySet[Invitation]:
    """The person's invitations to open date polls with a candidate they have not answered
    yet, the nearest deadline first."""
    unanswered = PollCandidate.objects.filter(poll__meeting=OuterRef("meeting_id")).filter(
        ~Exists(
            PollAnswer.objects.filter(candidate=OuterRef("pk"), invitation=OuterRef(OuterRef("pk")))
        )
    )
    return (
        Invitation.objects.filter(
            person=user, meeting__poll__is_open=True, meeting__status=Meeting.Status.PLANNING
        )
        .filter(Exists(unanswered))
        .select_related("meeting__series", "meeting__poll")
        .order_by(F("meeting__poll__deadline").asc(nulls_last=True), "meeting_id")
    )


def my_open_actions(*, user) -> QuerySet[ActionItem]:
    """The person's open action items, the earliest due first."""
    return (
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN)
        .select_related("meeting__series")
        .order_by("due_date", "id")
    )


# --- training ----------------------------------------------------------------------------------


def training_coverage() -> list[dict]:
    """Per bureau: promoters and staff, and how many of each attended a training session.
    One aggregate query over people plus one for the bureaus, whatever the city's size."""
    from kyokan.apps.core.models import RoleAssignment, User

    trained = Exists(
        Invitation.objects.filter(
            person=OuterRef("pk"),
            attendance__in=[Invitation.Attendance.PRESENT, Invitation.Attendance.PROXY],
            meeting__course__isnull=False,
        )
    )
    promoter = Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=Role.PROMOTER))
    counts = {
        row["bureau"]: row
        for row in User.objects.filter(is_active=True, department__isnull=False)
        .annotate(
            bureau=Coalesce("department__parent_id", "department_id"),
            is_trained=trained,
            is_promoter=promoter,
        )
        .values("bureau")
        .annotate(
            staff=Count("pk"),
            staff_trained=Count("pk", filter=Q(is_trained=True)),
            promoters=Count("pk", filter=Q(is_promoter=True)),
            promoters_trained=Count("pk", filter=Q(is_trained=True, is_promoter=True)),
        )
        .order_by()
    }
    rows = []
    for bureau in Department.objects.filter(parent__isnull=True, is_active=True).order_by(
        "sort_order", "id"
    ):
        found = counts.get(bureau.pk, {})
        row = {
            "bureau": bureau,
            **{
                key: found.get(key, 0)
                for key in ("staff", "staff_trained", "promoters", "promoters_trained")
            },
        }
        row["staff_rate"] = row["staff_trained"] / row["staff"] if row["staff"] else 0.0
        row["promoter_rate"] = (
            row["promoters_trained"] / row["promoters"] if row["promoters"] else 0.0
        )
        rows.append(row)
    return rows


def assessment_summaries(courses) -> dict[int, list[dict]]:
    """Average self-assessed level per skill, before and after, for each course (course id →
    rows), in one query whatever the number of courses."""
    sums: dict[int, dict[str, dict[str, list[int]]]] = {
        c.pk: {"before": {}, "after": {}} for c in courses
    }
    rows = SkillAssessment.objects.filter(invitation__meeting__course__in=courses).values_list(
        "invitation__meeting__course_id", "phase", "scores"
    )
    for course_id, phase, scores in rows:
        for axis, level in (scores or {}).items():
            sums[course_id][phase].setdefault(axis, []).append(level)
    result = {}
    for course_id, phases in sums.items():
        summary = []
        for axis in SkillAxis:
            before = phases["before"].get(axis.value, [])
            after = phases["after"].get(axis.value, [])
            row = {
                "axis": axis.label,
                "before": sum(before) / len(before) if before else None,
                "after": sum(after) / len(after) if after else None,
                "n_before": len(before),
                "n_after": len(after),
            }
            both = row["before"] is not None and row["after"] is not None
            row["change"] = row["after"] - row["before"] if both else None
            summary.append(row)
        result[course_id] = summary
    return result


def agenda_items_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda_items.select_related("presenter").order_by("order", "id")
