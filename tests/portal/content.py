"""Public and internal content side by side, for the portal's tests: what the secretariat
marked public, and the same kinds of things it did not (each internal one carries the
marker INTERNAL in its text, so a page that shows it is caught)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

INTERNAL = "内部限定ZQX"


def survey_with_results(actor, *, title="市民アンケート（結果公開）", results_public=True):
    """A closed public survey with 6 responses (its results published or not)."""
    from kyokan.apps.surveys import services as ss
    from tests.surveys.conftest import make_survey

    survey, questions = make_survey(actor, audience="public", anonymous=True, title=title)
    ss.survey_open(actor=actor, survey=survey)
    for n in range(6):
        ss.response_save(
            survey=survey,
            visitor=f"visitor-{title}-{n}",
            answers={
                questions["text"].pk: f"{INTERNAL}自由記述{n}",
                questions["single"].pk: 0,
                questions["likert"].pk: 4,
            },
        )
    ss.survey_close(actor=actor, survey=survey)
    ss.survey_update(actor=actor, survey=survey, results_public=results_public)
    return survey


def build(people) -> dict:
    """Public items and internal ones of every kind the portal shows."""
    from kyokan.apps.core.japanese_dates import fiscal_year_of
    from kyokan.apps.core.models import FiscalYear
    from kyokan.apps.documents import services as ds
    from kyokan.apps.documents.services import SectionData
    from kyokan.apps.meetings import services as ms
    from kyokan.apps.portfolio import services as ps
    from kyokan.apps.surveys import services as ss
    from tests.documents.adoption import adopt
    from tests.surveys.conftest import make_survey

    actor = people["secretariat"]
    fy = fiscal_year_of(timezone.localdate())
    for year in (fy - 1, fy, fy + 1):
        FiscalYear.objects.get_or_create(year=year)
    bureau = people["promoter"].role_assignments.get(role="promoter").department

    # Documents: one adopted (public) with a draft revision, one draft only.
    document = ds.document_create(
        actor=actor, kind="strategy", title="公開戦略", easy_japanese_summary="やさしい要約"
    )
    adopted = ds.version_create(
        actor=actor, document=document, label="初版",
        sections=[SectionData("目指す姿", "市民中心のデジタル化を申し込む。")],
    )  # fmt: skip
    adopt(adopted, actor=actor)
    draft = ds.version_revise(actor=actor, version=adopted, label=f"{INTERNAL}改定案")
    section = draft.sections.first()
    ds.section_update(actor=actor, section=section, expected_revision=section.revision,
                      body=f"{INTERNAL}の下書き本文")  # fmt: skip
    hidden_doc = ds.document_create(actor=actor, kind="policy", title=f"{INTERNAL}方針")
    ds.version_create(actor=actor, document=hidden_doc, label="案",
                      sections=[SectionData("取組方針", f"{INTERNAL}本文")])  # fmt: skip

    # Initiatives: one public (with an accepted and a returned report), one internal.
    common = dict(
        bureau=bureau, fiscal_year_start=fy - 1, fiscal_year_end=fy + 1, status="active",
        scope="kaizen", dx="D", rule_kind="none", organisation_kind="none", budget_kind="none",
        value_who="市民", value_change="早くなる", cost_source=f"{INTERNAL}見積",
    )  # fmt: skip
    public_initiative = ps.initiative_create(
        actor=actor, title="公開の取組", is_public=True, owner=people["promoter"],
        easy_japanese_summary="やさしい取組の説明", **common,
    )  # fmt: skip
    internal_initiative = ps.initiative_create(actor=actor, title=f"{INTERNAL}取組", **common)
    kpi = ps.kpi_create(
        actor=actor, initiative=public_initiative, name="申請率", unit="%", direction="up",
        baseline=0, baseline_year=fy - 1, targets={fy: 50},
    )  # fmt: skip
    ps.kpi_actual_record(actor=actor, kpi=kpi, fiscal_year=fy, quarter=0, value=20,
                         source=f"{INTERNAL}出典")  # fmt: skip
    ps.budget_set(actor=actor, initiative=public_initiative, fiscal_year=fy,
                  requested_yen=1000, approved_yen=900, executed_yen=None)  # fmt: skip
    today = timezone.localdate().replace(year=fy - 1, month=4, day=10)
    accepted = ps.report_submit(
        actor=actor, initiative=public_initiative, fiscal_year=fy - 1, quarter=1,
        percent_done=30, health="good", happened=f"{INTERNAL}報告本文", today=today,
    )  # fmt: skip
    ps.report_review(actor=actor, report=accepted, accept=True, comment=f"{INTERNAL}講評")
    ps.report_submit(
        actor=actor, initiative=internal_initiative, fiscal_year=fy - 1, quarter=1,
        percent_done=10, health="late", happened=f"{INTERNAL}報告", today=today,
    )  # fmt: skip

    # Meetings: a public scheduled one, a public held one with minutes, internal ones.
    series = ms.series_create(actor=actor, name="ポータル試験の本部会議", kind="hq")
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    upcoming = ms.meeting_create(
        actor=actor, series=series, starts_at=start, ends_at=start + timedelta(hours=1),
        place="本庁舎", is_public=True, notes=f"{INTERNAL}メモ",
        online_url="https://meet.example.jp/internal-zqx",
    )  # fmt: skip
    ms.agenda_item_create(actor=actor, meeting=upcoming, title="オンライン申請の拡大")
    past = timezone.now().replace(microsecond=0) - timedelta(days=20)
    held = ms.meeting_create(
        actor=actor, series=series, starts_at=past, ends_at=past + timedelta(hours=1),
        is_public=True,
    )  # fmt: skip
    item = ms.agenda_item_create(actor=actor, meeting=held, title="戦略の改定")
    ms.minutes_save(actor=actor, item=item, text="改定案を了承した。")
    ms.decision_add(actor=actor, meeting=held, agenda_item=item, text="改定案を了承する。")
    ms.action_item_create(
        actor=actor, meeting=held, title=f"{INTERNAL}宿題", owner=people["staff"],
        department=bureau, due_date=timezone.localdate() + timedelta(days=5),
    )  # fmt: skip
    ms.meeting_set_status(actor=actor, meeting=held, status="held")
    ms.minutes_publish(actor=actor, meeting=held)
    internal_series = ms.series_create(actor=actor, name=f"{INTERNAL}会議", kind="team")
    internal_meeting = ms.meeting_create(
        actor=actor, series=internal_series, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    ms.agenda_item_create(actor=actor, meeting=internal_meeting, title=f"{INTERNAL}議題")
    held_unpublished = ms.meeting_create(
        actor=actor, series=series, starts_at=past - timedelta(days=30),
        ends_at=past - timedelta(days=30) + timedelta(hours=1), is_public=True,
    )  # fmt: skip
    item2 = ms.agenda_item_create(actor=actor, meeting=held_unpublished, title="予算")
    ms.minutes_save(actor=actor, item=item2, text=f"{INTERNAL}未公表の議事録")
    ms.meeting_set_status(actor=actor, meeting=held_unpublished, status="held")

    # Surveys: an open public one, a staff one, published and unpublished results.
    open_public, _q = make_survey(actor, audience="public", anonymous=True, title="ご意見募集")
    ss.survey_open(actor=actor, survey=open_public)
    staff, _q = make_survey(actor, title=f"{INTERNAL}職員アンケート")
    ss.survey_open(actor=actor, survey=staff)
    results = survey_with_results(actor)
    hidden_results = survey_with_results(actor, title=f"{INTERNAL}非公開結果", results_public=False)

    return {
        "document": document,
        "adopted_version": adopted,
        "draft_version": draft,
        "hidden_document": hidden_doc,
        "public_initiative": public_initiative,
        "internal_initiative": internal_initiative,
        "upcoming_meeting": upcoming,
        "held_meeting": held,
        "internal_meeting": internal_meeting,
        "held_unpublished": held_unpublished,
        "open_public_survey": open_public,
        "staff_survey": staff,
        "results_survey": results,
        "hidden_results_survey": hidden_results,
    }
