"""Training: courses, self-assessments before and after, and coverage by bureau."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import selectors, services
from kyokan.apps.meetings.models import Course, Invitation, SkillAssessment, SkillAxis
from tests.factories import BureauFactory, DivisionFactory, UserFactory

CITY_STAFF = [
    Role.SECRETARIAT,
    Role.HQ_CHIEF,
    Role.HQ_DEPUTY,
    Role.HQ_MEMBER,
    Role.PROMOTER,
    Role.STAFF,
    Role.SYSADMIN,
]
AXES = [a.value for a in SkillAxis]
PRESENT = Invitation.Attendance.PRESENT


def _session(actor, course, *, series=None, days=14):
    series = series or services.series_create(
        actor=actor, name=f"研修 {course.title}", kind="training"
    )
    return services.meeting_create(
        actor=actor,
        series=series,
        course=course,
        title=course.title,
        starts_at=timezone.now() + timedelta(days=days),
    )


def _scores(level: int, **overrides) -> dict[str, int]:
    return {**dict.fromkeys(AXES, level), **overrides}


def _post(scores: dict) -> dict:
    return {axis: str(level) for axis, level in scores.items()}


@pytest.fixture
def course(sysadmin):
    return services.course_create(actor=sysadmin, title="DX基礎研修", description="全職員向け")


@pytest.fixture
def session(sysadmin, course, people):
    meeting = _session(sysadmin, course)
    services.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people[Role.STAFF], people[Role.PROMOTER]]
    )
    return meeting


def _invitation(meeting, person) -> Invitation:
    return meeting.invitations.get(person=person)


# --- the training page --------------------------------------------------------------------


@pytest.mark.parametrize("role", CITY_STAFF)
def test_city_staff_see_the_training_page(role, client_as, session):
    response = client_as(role).get(reverse("meetings:training"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "DX基礎研修" in body
    assert reverse("meetings:detail", args=[session.pk]) in body


@pytest.mark.parametrize("role", [Role.EXPERT, Role.CITIZEN])
def test_experts_and_citizens_may_not_see_training(role, client_as, session):
    assert client_as(role).get(reverse("meetings:training")).status_code == 403


def test_the_page_shows_average_levels_before_and_after(client_as, sysadmin, session, people):
    staff = _invitation(session, people[Role.STAFF])
    promoter = _invitation(session, people[Role.PROMOTER])
    services.assessment_save(actor=sysadmin, invitation=staff, phase="before", scores=_scores(2))
    services.assessment_save(
        actor=sysadmin, invitation=promoter, phase="before", scores=_scores(3, data=4)
    )
    services.assessment_save(actor=sysadmin, invitation=staff, phase="after", scores=_scores(4))
    body = client_as(Role.STAFF).get(reverse("meetings:training")).content.decode()
    row = re.search(r"<th scope=\"row\">データ活用</th>(.*?)</tr>", body, re.S).group(1)
    cells = re.findall(r"<td class=\"num\">(.*?)</td>", row, re.S)
    assert cells[0].startswith("3.0")  # (2 + 4) / 2 before
    assert cells[1].startswith("4.0")  # one answer after
    assert cells[2] == "+1.0"


def test_the_summary_matches_the_selector(sysadmin, session, people):
    staff = _invitation(session, people[Role.STAFF])
    services.assessment_save(actor=sysadmin, invitation=staff, phase="before", scores=_scores(1))
    summary = selectors.assessment_summaries([session.course])[session.course.pk]
    assert [r["before"] for r in summary] == [1.0] * len(AXES)
    assert [r["after"] for r in summary] == [None] * len(AXES)


# --- courses ----------------------------------------------------------------------------------


def test_secretariat_creates_a_course(client_as):
    client = client_as(Role.SECRETARIAT)
    response = client.post(
        reverse("meetings:course_create"),
        {"title": "データ活用研修", "description": "Excelから始める"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:training")
    assert Course.objects.filter(title="データ活用研修").exists()


def test_a_course_title_is_unique(client_as, course):
    response = client_as(Role.SECRETARIAT).post(
        reverse("meetings:course_create"), {"title": "DX基礎研修"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Course.objects.filter(title="DX基礎研修").count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.PROMOTER, Role.HQ_CHIEF])
def test_only_the_secretariat_creates_courses(role, client_as):
    response = client_as(role).post(reverse("meetings:course_create"), {"title": "無許可"})
    assert response.status_code == 403
    assert not Course.objects.filter(title="無許可").exists()


# --- self-assessment --------------------------------------------------------------------------


def _url(meeting, phase="before"):
    return reverse("meetings:assessment", args=[meeting.pk, phase])


def test_a_participant_saves_and_then_edits_their_assessment(client_as, session, people):
    client = client_as(Role.STAFF)
    form = client.get(_url(session))
    assert form.status_code == 200
    body = form.content.decode()
    assert body.count('type="radio"') == 5 * len(AXES)
    assert "DXの理解" in body

    response = client.post(_url(session), _post(_scores(2, security=1)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("meetings:detail", args=[session.pk]))
    invitation = _invitation(session, people[Role.STAFF])
    saved = SkillAssessment.objects.get(invitation=invitation, phase="before")
    assert saved.scores == _scores(2, security=1)

    again = client.get(_url(session)).content.decode()
    assert re.search(r'<input[^>]*name="security" value="1"[^>]*checked', again)
    assert not re.search(r'<input[^>]*name="security" value="2"[^>]*checked', again)

    client.post(_url(session), _post(_scores(3, security=2)))
    saved.refresh_from_db()
    assert saved.scores == _scores(3, security=2)
    assert SkillAssessment.objects.filter(invitation=invitation).count() == 1

    client.post(_url(session, "after"), _post(_scores(4)))
    assert SkillAssessment.objects.filter(invitation=invitation).count() == 2


@pytest.mark.parametrize(
    "change",
    [{"data": "7"}, {"data": "0"}, {"data": "x"}, {"data": ""}],
    ids=["too-high", "zero", "not-a-number", "missing"],
)
def test_an_invalid_level_is_refused(change, client_as, session, people):
    client = client_as(Role.STAFF)
    response = client.post(_url(session), {**_post(_scores(3)), **change})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not SkillAssessment.objects.exists()


def test_someone_not_invited_may_not_answer(client_as, session):
    assert client_as(Role.SECRETARIAT).get(_url(session)).status_code == 403
    response = client_as(Role.HQ_MEMBER).post(_url(session), _post(_scores(3)))
    assert response.status_code == 403
    assert not SkillAssessment.objects.exists()


@pytest.mark.parametrize("role", [Role.CITIZEN])
def test_citizens_may_not_answer(role, client_as, session):
    assert client_as(role).get(_url(session)).status_code == 403


def test_an_unknown_phase_is_not_found(client_as, session):
    assert client_as(Role.STAFF).get(_url(session, "during")).status_code == 404


def test_a_meeting_without_a_course_has_no_assessment(client_as, sysadmin, people):
    series = services.series_create(actor=sysadmin, name="定例本部会議", kind="hq")
    meeting = services.meeting_create(
        actor=sysadmin, series=series, starts_at=timezone.now() + timedelta(days=3)
    )
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.STAFF]])
    assert client_as(Role.STAFF).get(_url(meeting)).status_code == 404


def test_my_sessions_link_to_the_assessment(client_as, session):
    body = client_as(Role.STAFF).get(reverse("meetings:training")).content.decode()
    assert _url(session, "before") in body
    assert _url(session, "after") in body


# --- coverage by bureau ---------------------------------------------------------------------


def test_coverage_counts_attendance_at_training_sessions(client_as, sysadmin, course):
    bureau = BureauFactory(name="福祉部")
    division = DivisionFactory(parent=bureau, name="福祉総務課")
    trained = UserFactory(department=division, roles=[Role.STAFF])
    untrained = UserFactory(department=division, roles=[Role.STAFF])
    promoter = UserFactory(department=division, roles=[Role.PROMOTER])
    UserFactory(department=bureau, roles=[Role.STAFF])  # belongs to the bureau itself
    UserFactory(department=division, roles=[Role.STAFF], is_active=False)  # not counted

    session = _session(sysadmin, course)
    services.invitations_add(actor=sysadmin, meeting=session, people=[trained, untrained, promoter])
    services.attendance_record(
        actor=sysadmin,
        meeting=session,
        attendance={
            _invitation(session, trained).pk: PRESENT,
            _invitation(session, untrained).pk: Invitation.Attendance.ABSENT,
            _invitation(session, promoter).pk: Invitation.Attendance.PROXY,
        },
    )
    # Attending a meeting that is not a training session does not count.
    series = services.series_create(actor=sysadmin, name="定例本部会議", kind="hq")
    hq = services.meeting_create(
        actor=sysadmin, series=series, starts_at=timezone.now() + timedelta(days=3)
    )
    services.invitations_add(actor=sysadmin, meeting=hq, people=[untrained])
    services.attendance_record(
        actor=sysadmin, meeting=hq, attendance={_invitation(hq, untrained).pk: PRESENT}
    )

    row = next(r for r in selectors.training_coverage() if r["bureau"] == bureau)
    assert (row["promoters_trained"], row["promoters"]) == (1, 1)
    assert (row["staff_trained"], row["staff"]) == (2, 4)

    body = client_as(Role.STAFF).get(reverse("meetings:training")).content.decode()
    html_row = re.search(r"<th scope=\"row\">福祉部</th>(.*?)</tr>", body, re.S).group(1)
    cells = [c.strip() for c in re.findall(r"<td class=\"num\">(.*?)</td>", html_row, re.S)]
    assert cells == ["1 / 1", "100%", "2 / 4", "50%"]


def test_the_dashboard_panel_shows_the_trained_counts(client_as, sysadmin, session, people):
    services.attendance_record(
        actor=sysadmin,
        meeting=session,
        attendance={_invitation(session, people[Role.PROMOTER]).pk: PRESENT},
    )
    body = client_as(Role.STAFF).get(reverse("core:home")).content.decode()
    assert 'id="panel-training"' in body
    assert reverse("meetings:training") in body
    assert "1 / 1" in body  # the one promoter attended


def test_the_training_panel_is_not_shown_to_experts(client_as, session):
    body = client_as(Role.EXPERT).get(reverse("core:home")).content.decode()
    assert 'id="panel-training"' not in body


# --- query count ------------------------------------------------------------------------------


def _grow(actor, n: int, offset: int) -> None:
    series = services.series_create(actor=actor, name=f"研修シリーズ{offset}", kind="training")
    for i in range(n):
        course = services.course_create(actor=actor, title=f"研修{offset + i}")
        meeting = _session(actor, course, series=series, days=offset + i + 1)
        bureau = BureauFactory()
        members = [UserFactory(department=DivisionFactory(parent=bureau), roles=[Role.STAFF])]
        members.append(UserFactory(department=members[0].department, roles=[Role.PROMOTER]))
        services.invitations_add(actor=actor, meeting=meeting, people=members)
        services.attendance_record(
            actor=actor, meeting=meeting, attendance={_invitation(meeting, members[0]).pk: PRESENT}
        )
        for person in members:
            services.assessment_save(
                actor=actor,
                invitation=_invitation(meeting, person),
                phase="before",
                scores=_scores(2),
            )


def test_query_count_does_not_grow(client_as, sysadmin, session, people):
    client = client_as(Role.STAFF)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("meetings:training"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(sysadmin, 3, 0)
    small = count()
    _grow(sysadmin, 30, 100)
    assert count() == small
