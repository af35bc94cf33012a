"""Demo data of the citizen portal, built through the apps' services after their own demo
(INSTALLED_APPS order: documents, surveys, meetings, portfolio come first): the secretariat
marks what is public — the headquarters meetings and the expert exchanges, their minutes
once held, the initiatives under way — writes summaries in easy Japanese, opens a survey to
the public, publishes the counts of the closed staff survey, and keeps readings of the
city's own names."""

from __future__ import annotations

from django.utils import timezone

from kyokan.apps.core.notifications import dated
from kyokan.apps.documents import services as document_services
from kyokan.apps.documents.models import Document, DocumentKind
from kyokan.apps.meetings import services as meeting_services
from kyokan.apps.meetings.models import Meeting, MeetingKind
from kyokan.apps.portfolio import services as portfolio_services
from kyokan.apps.portfolio.models import Initiative, Status
from kyokan.apps.surveys import services as survey_services
from kyokan.apps.surveys.models import Survey

from . import services

READINGS = [
    ("ひかり野市", "ひかりのし", "市の名前"),
    ("ひかり野", "ひかりの", "地名"),
    ("本庁舎", "ほんちょうしゃ", "市役所の建物"),
    ("光が丘", "ひかりがおか", "地名"),
    ("星見台", "ほしみだい", "地名"),
    ("強靱化", "きょうじんか", "デジタル強靱化戦略"),
]

EASY_STRATEGY = (
    "市は、デジタルの力で、市民のみなさんの手続きや暮らしを便利にします。"
    "この計画には、市が目指す姿と、そのために行うことが書いてあります。"
)
EASY_INITIATIVES = {
    "RPA": "パソコンの作業を自動にして、職員の時間を市民のための仕事に使います。",
}
EASY_DEFAULT = "この取組で、市民のみなさんの手続きが早く、わかりやすくなるようにします。"


def _actor(ctx):
    return ctx.people.get("jimukyoku") or ctx.actor


def _documents(ctx) -> None:
    actor = _actor(ctx)
    for document in Document.objects.filter(kind=DocumentKind.STRATEGY):
        document_services.document_update(
            actor=actor, document=document, easy_japanese_summary=EASY_STRATEGY
        )


def _initiatives(ctx) -> None:
    actor = _actor(ctx)
    shown = Initiative.objects.exclude(status=Status.CONCEPT).order_by("id")
    for initiative in shown:
        easy = next(
            (text for key, text in EASY_INITIATIVES.items() if key in initiative.title),
            EASY_DEFAULT,
        )
        portfolio_services.initiative_update(
            actor=actor, initiative=initiative, is_public=True, easy_japanese_summary=easy
        )


def _minutes_published_at(ctx, meeting):
    """The minutes went out three days after the meeting (at 10:00 on an office day), so
    their invitees were told then — never before the meeting ended nor after now."""
    held = meeting.ends_at or meeting.starts_at
    offset = (timezone.localdate(held) - ctx.timeline.today).days + 3
    now = timezone.now()
    return max(held, min(ctx.timeline.at(offset, 10) if offset < 0 else now, now))


def _meetings(ctx) -> None:
    actor = _actor(ctx)
    public_kinds = (MeetingKind.HQ, MeetingKind.EXCHANGE)
    for meeting in Meeting.objects.filter(
        series__kind__in=public_kinds,
        status__in=(Meeting.Status.SCHEDULED, Meeting.Status.HELD),
    ).select_related("series"):
        meeting_services.meeting_update(actor=actor, meeting=meeting, is_public=True)
        has_minutes = meeting.agenda_items.exclude(minutes_text="").exists()
        if meeting.status == Meeting.Status.HELD and has_minutes:
            with dated(_minutes_published_at(ctx, meeting)):
                meeting_services.minutes_publish(actor=actor, meeting=meeting)


def _surveys(ctx) -> None:
    actor = _actor(ctx)
    tl = ctx.timeline
    for survey in Survey.objects.filter(state=Survey.State.CLOSED):
        survey_services.survey_update(actor=actor, survey=survey, results_public=True)
    survey = survey_services.survey_create(
        actor=actor,
        title="市のデジタル化についての市民アンケート",
        purpose="市の手続きのオンライン化について、みなさんのご意見をお聞かせください。",
        opens_on=tl.day(-7),
        closes_on=tl.day(21),
        audience=Survey.Audience.PUBLIC,
        anonymous=True,
    )
    questions = [
        ("single", "市の手続きをインターネットでしたことがありますか。",
         ["ある", "ない", "わからない"]),
        ("likert", "市のホームページは使いやすいですか。", []),
        ("multiple", "オンラインでできるとよい手続きを選んでください。",
         ["住民票の写しの請求", "保育園の申し込み", "粗大ごみの申し込み", "施設の予約"]),
        ("text", "ご意見・ご要望があればお書きください。", []),
    ]  # fmt: skip
    for kind, text, choices in questions:
        survey_services.question_create(
            actor=actor, survey=survey, kind=kind, text=text, choices=choices
        )
    survey_services.survey_open(actor=actor, survey=survey)


def _readings(ctx) -> None:
    actor = _actor(ctx)
    for surface, reading, note in READINGS:
        services.reading_entry_create(actor=actor, surface=surface, reading=reading, note=note)


def load(ctx) -> None:
    _readings(ctx)
    _documents(ctx)
    _initiatives(ctx)
    _meetings(ctx)
    _surveys(ctx)
