"""Benchmark of the meeting packet: a 10-paper packet built in Word and in PDF.

Everything is created inside a transaction that is rolled back, with uploads written under
a temporary MEDIA_ROOT, so the benchmark leaves nothing behind. The results have the shape
of :func:`kyokan.apps.core.bench.bench_pages`' so they can go into bench-results.json.
"""

import contextlib
import io
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from kyokan.apps.core import services as core_services
from kyokan.apps.core.bench import BenchPage
from kyokan.apps.core.models import Department, Municipality
from kyokan.apps.core.roles import Role

from . import packet, services
from .models import Meeting, MeetingKind, PollAnswer

AGENDA = [
    "オープンデータガイドライン改定版について",
    "デジタル強靱化戦略の改定(案)について",
    "デジタルデバイド対策に関する考え方について",
    "令和4年度の重点目標について",
    "次年度以降の取組について",
    "行政手続のオンライン化の進捗について",
    "推進員研修の実施結果について",
    "その他",
]
GENERATORS = ["previous_decisions", "open_actions", "attendance", "poll_result"]
INVITEES = 30


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _tiny_pdf(name: str, pages: int) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)  # A4 in points
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def bench_meeting() -> Meeting:
    """A 第6回 本部会議 with 8 agenda items, 30 invitees (a date poll answered by them),
    earlier decisions and action items, and 10 papers: the 5 generated ones and 5 PDFs."""
    tag = secrets.token_hex(3)
    if not Municipality.objects.exists():
        core_services.municipality_create(
            actor=None, name="性能試験市", code="139904", issuing_office="デジタル化推進本部事務局",
            hourly_labour_cost=4000, citizen_hour_value=2000, default_useful_life_years=5,
        )  # fmt: skip
    bureaus = [
        core_services.department_create(
            actor=None, name=f"性能試験{tag}第{i}部", kind=Department.Kind.BUREAU
        )
        for i in range(3)
    ]
    divisions = [
        core_services.department_create(
            actor=None, name=f"第{i}課", kind=Department.Kind.DIVISION, parent=bureaus[i % 3]
        )
        for i in range(6)
    ]
    people = [
        core_services.user_create(
            actor=None, username=f"packet-{tag}-{i:02d}", full_name=f"性能 職員{i:02d}",
            department=divisions[i % 6],
            roles=[(Role.PROMOTER, divisions[i % 6].parent)] if i % 5 == 0 else [],
        )
        for i in range(INVITEES)
    ]  # fmt: skip

    series = services.series_create(
        actor=None, name=f"デジタル化推進本部会議（性能試験{tag}）", kind=MeetingKind.HQ
    )
    fifth = services.meeting_create(
        actor=None, series=series, number=5, starts_at=_at(-28, 14), ends_at=_at(-28, 15, 30)
    )
    for i in range(4):
        services.decision_add(actor=None, meeting=fifth, text=f"前回の決定事項その{i + 1}。")
    for i in range(8):
        services.action_item_create(
            actor=None, meeting=fifth, title=f"前回のアクションアイテム{i + 1}",
            owner=people[i], due_date=timezone.localdate() + timedelta(days=i * 5 - 20),
        )  # fmt: skip
    services.meeting_set_status(actor=None, meeting=fifth, status=Meeting.Status.HELD)

    meeting = services.meeting_create(
        actor=None, series=series, number=6, title="令和4年度第1回", place="本庁舎3階 第1会議室"
    )
    invitations = services.invitations_add(
        actor=None, meeting=meeting, people=people[:3], required=True
    ).added
    invitations += services.invitations_add(actor=None, meeting=meeting, people=people[3:]).added
    items = [
        services.agenda_item_create(
            actor=None, meeting=meeting, title=title, presenter_text="事務局", duration_minutes=10
        )
        for title in AGENDA
    ]
    poll = services.poll_open(
        actor=None,
        meeting=meeting,
        candidates=[(_at(7 + d, 14), _at(7 + d, 15, 30)) for d in range(5)],
    )
    choices = list(PollAnswer.Choice)
    candidates = list(poll.candidates.all())
    for i, invitation in enumerate(invitations[:24]):
        services.poll_answer(
            invitation=invitation,
            answers={c.pk: (choices[(i + j) % 3], "") for j, c in enumerate(candidates)},
        )
    services.poll_fix(actor=None, meeting=meeting, candidate=candidates[0])
    services.attendance_record(
        actor=None,
        meeting=meeting,
        attendance={
            inv.pk: ("present" if i % 4 else "absent") for i, inv in enumerate(invitations)
        },
    )

    course = services.course_create(actor=None, title=f"DX基礎研修（性能試験{tag}）")
    training = services.series_create(
        actor=None, name=f"DX研修（性能試験{tag}）", kind=MeetingKind.TRAINING
    )
    session = services.meeting_create(
        actor=None, series=training, course=course, starts_at=_at(-14, 10)
    )
    trained = services.invitations_add(actor=None, meeting=session, people=people[::2]).added
    services.attendance_record(
        actor=None, meeting=session, attendance={inv.pk: "present" for inv in trained}
    )

    # 10 papers: generated and uploaded alternately.
    keys = [*GENERATORS, "training_coverage"]
    for i, key in enumerate(keys):
        services.paper_add_generated(
            actor=None, meeting=meeting, generator=key, agenda_item=items[i]
        )
        services.paper_upload(
            actor=None, meeting=meeting, title=f"{AGENDA[i]}（資料）",
            file=_tiny_pdf(f"shiryo{i + 1}.pdf", pages=2), agenda_item=items[i],
        )  # fmt: skip
    return Meeting.objects.select_related("series").get(pk=meeting.pk)


def _measure(name: str, build: Callable[[Meeting], bytes], meeting: Meeting, repeat: int):
    timings, queries = [], 0
    for i in range(repeat + 1):  # the first run warms caches (templates, fonts) up
        # The query log is capped (9000); after a bulk fill its indices no longer line up.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            data = build(meeting)
            elapsed = (time.perf_counter() - start) * 1000
        if not data:
            raise RuntimeError(f"{name}: empty output")
        if i:
            timings.append(elapsed)
            queries = len(ctx.captured_queries)
    return {
        "page": name,
        "path": "-",
        "median_ms": round(statistics.median(timings), 2),
        "queries": queries,
    }


def bench_packet(repeat: int = 5) -> list[dict]:
    """Median build time and query count of the packet in Word and in PDF (the PDF figure
    is left out when WeasyPrint cannot run on this machine)."""
    with (
        tempfile.TemporaryDirectory(prefix="kyokan-packet-") as media,
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        meeting = bench_meeting()
        results = [_measure("meetings.packet.docx", packet.build_packet_docx, meeting, repeat)]
        with contextlib.suppress(packet.PacketUnavailable):
            results.append(
                _measure("meetings.packet.pdf", packet.build_packet_pdf, meeting, repeat)
            )
        transaction.set_rollback(True)
    return results


# --- pages on the large city (`make bench`) ------------------------------------------------

MEETINGS_PER_SERIES = 120
INVITATIONS_PER_MEETING = 40


def _first_meeting_pk(**filters) -> int:
    return Meeting.objects.filter(**filters).order_by("id").values_list("pk", flat=True).first()


def fill(admin, log) -> None:
    """Five series of 120 meetings, each with 40 invitations, an agenda, papers, decisions
    and action items; a 5-date poll answered by everyone; expert inputs; a training course."""
    from kyokan.apps.core.audit import audit_record_many
    from kyokan.apps.core.models import AuditEvent, User
    from kyokan.textanalysis.normalize import fold

    from .models import (
        ActionItem,
        AgendaItem,
        Course,
        DatePoll,
        Decision,
        ExpertInput,
        Invitation,
        MeetingSeries,
        PollAnswer,
        PollCandidate,
    )

    people = list(User.objects.filter(username__startswith="bench0").order_by("id")[:4000])
    course = Course.objects.create(title="DX基礎研修")
    series = [
        MeetingSeries.objects.create(name=f"性能試験{kind.label}", kind=kind)
        for kind in MeetingKind
    ]
    start = timezone.now() - timedelta(days=MEETINGS_PER_SERIES * 7)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            series=s,
            number=n + 1,
            status=Meeting.Status.HELD if n < MEETINGS_PER_SERIES - 5 else "scheduled",
            starts_at=start + timedelta(days=n * 7, hours=i),
            ends_at=start + timedelta(days=n * 7, hours=i + 1),
            place="本庁舎 第1会議室",
            theme="自治体DXと業務改革" if s.kind == MeetingKind.EXCHANGE else "",
            course=course if s.kind == MeetingKind.TRAINING else None,
        )
        for i, s in enumerate(series)
        for n in range(MEETINGS_PER_SERIES)
    )
    meetings = list(Meeting.objects.order_by("id"))
    invitations = Invitation.objects.bulk_create(
        (
            Invitation(
                meeting=m,
                person=people[(k * 37 + j) % len(people)],
                required=j == 0,
                attendance="present" if j % 5 else "absent",
            )
            for k, m in enumerate(meetings)
            for j in range(INVITATIONS_PER_MEETING)
        ),
        batch_size=2000,
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, order=o, title=AGENDA[o % len(AGENDA)], presenter_text="事務局")
        for m in meetings
        for o in range(6)
    )
    Decision.objects.bulk_create(
        Decision(meeting=m, text="事務局案のとおり決定した。") for m in meetings for _ in range(2)
    )
    today = timezone.localdate()
    actions = ActionItem.objects.bulk_create(
        ActionItem(
            meeting=m,
            title=f"宿題{n}",
            owner=people[(k + n) % len(people)],
            department=people[(k + n) % len(people)].department,
            due_date=today - timedelta(days=(k % 60) - 20),
            status="open" if (k + n) % 3 == 0 else "done",
        )
        for k, m in enumerate(meetings)
        for n in range(3)
    )
    exchange = [m for m in meetings if m.series.kind == MeetingKind.EXCHANGE]
    first_invitation = {}
    for invitation in Invitation.objects.filter(meeting__in=exchange).order_by("id"):
        first_invitation.setdefault(invitation.meeting_id, invitation)
    expert_inputs = ExpertInput.objects.bulk_create(
        ExpertInput(
            meeting=m,
            expert=first_invitation[m.pk],
            title=f"知見{n}: ツール導入より先に業務を見直す",
            body="紙の様式を最適化しても紙の手続である限り価値は増えない。" * 3,
            search_text=fold(f"知見{n}: ツール導入より先に業務を見直す" + "紙の様式を最適化しても"),
        )
        for m in exchange
        for n in range(3)
    )
    polled = Meeting.objects.create(series=series[0], number=MEETINGS_PER_SERIES + 1)
    poll = DatePoll.objects.create(meeting=polled)
    poll_invitations = Invitation.objects.bulk_create(
        Invitation(meeting=polled, person=people[j], required=j == 0)
        for j in range(INVITATIONS_PER_MEETING)
    )
    candidates = PollCandidate.objects.bulk_create(
        PollCandidate(
            poll=poll,
            starts_at=timezone.now() + timedelta(days=20 + d),
            ends_at=timezone.now() + timedelta(days=20 + d, hours=1),
        )
        for d in range(5)
    )
    PollAnswer.objects.bulk_create(
        PollAnswer(candidate=c, invitation=i, choice=("yes", "maybe", "no")[(ci + ii) % 3])
        for ci, c in enumerate(candidates)
        for ii, i in enumerate(poll_invitations)
    )
    created = audit_record_many(
        actor=admin,
        action=AuditEvent.Action.CREATE,
        targets=[*series, *meetings, polled, *items, *actions, *expert_inputs],
        summary="bench meetings",
    )
    log(
        f"  {len(meetings) + 1} meetings, {len(invitations) + len(poll_invitations)} "
        f"invitations, {len(actions)} action items, {len(expert_inputs)} expert inputs; "
        f"{created} audit events"
    )


def _polled_meeting_pk() -> int:
    return _first_meeting_pk(poll__isnull=False, series__name__startswith="性能")


PAGES = [
    BenchPage("meetings.list", lambda: "/meetings/"),
    BenchPage("meetings.list.filtered", lambda: "/meetings/?kind=hq&status=held"),
    BenchPage("meetings.detail", lambda: f"/meetings/{_first_meeting_pk(series__kind='hq')}/"),
    BenchPage("meetings.poll", lambda: f"/meetings/{_polled_meeting_pk()}/poll/"),
    BenchPage("meetings.actions", lambda: "/actions/?status=all"),
    BenchPage("meetings.knowledge", lambda: "/knowledge/"),
    BenchPage("meetings.knowledge.search", lambda: "/knowledge/?q=%E6%A5%AD%E5%8B%99"),
    BenchPage("meetings.training", lambda: "/training/"),
    BenchPage("meetings.calendar", lambda: "/calendar/"),
]


def extra(log) -> list[dict]:
    log("Building a 10-paper meeting packet (Word and PDF)…")
    return bench_packet()
