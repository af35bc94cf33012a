"""Public and internal items of every public-facing app, each internal one carrying the
marker ``INTERNAL``, so that a test can check that no dataset or endpoint shows it."""

from datetime import timedelta

from django.utils import timezone

from kyokan.apps.core import services as core_services
from kyokan.apps.core.japanese_dates import fiscal_year_of

MARK = "内部秘"  # in every internal item's texts
FY = fiscal_year_of(timezone.localdate())
LEVERS = {"rule_kind": "none", "organisation_kind": "none", "budget_kind": "none"}


def seed(sysadmin, people) -> dict:
    from kyokan.apps.portfolio import services as ps

    for year in range(FY - 3, FY + 4):
        core_services.fiscal_year_create(actor=sysadmin, year=year)
    bureau = people["promoter"].role_assignments.get(role="promoter").department

    def initiative(title, public, **extra):
        made = ps.initiative_create(
            actor=sysadmin, title=title, bureau=bureau, fiscal_year_start=FY - 1,
            fiscal_year_end=FY + 1, status="active", scope="henkaku", dx="X",
            value_who="転入者①", value_change="ﾃﾞｼﾞﾀﾙで届出が完結する\n来庁不要", is_public=public,
            initial_cost_yen=1_200_000, running_cost_yen=300_000, cases_per_year=5000,
            citizen_minutes_saved_per_case=30, **LEVERS, **extra,
        )  # fmt: skip
        kpi = ps.kpi_create(
            actor=sysadmin, initiative=made, name=f"{title}のKPI", unit="%", direction="up",
            baseline="12.5", baseline_year=FY - 1, targets={FY: 40},
        )  # fmt: skip
        ps.kpi_actual_record(actor=sysadmin, kpi=kpi, fiscal_year=FY - 1, quarter=0, value=15)
        ps.budget_set(
            actor=sysadmin, initiative=made, fiscal_year=FY, requested_yen=1_000_000,
            approved_yen=900_000, executed_yen=None,
        )  # fmt: skip
        report = ps.report_submit(
            actor=sysadmin, initiative=made, fiscal_year=FY - 1, quarter=2, percent_done=40,
            health="good", happened=f"{title}の進捗 {'' if public else MARK}",
            today=timezone.localdate().replace(year=FY - 1, month=10, day=5),
        )  # fmt: skip
        ps.report_review(actor=sysadmin, report=report, accept=True)
        return made

    public_initiative = initiative("電子申請の拡充㈱", True, summary="公開の概要")
    internal_initiative = initiative(f"{MARK}の取組", False, summary=f"{MARK}の概要")
    return {
        "bureau": bureau,
        "public_initiative": public_initiative,
        "internal_initiative": internal_initiative,
        **_meetings(sysadmin),
        **_documents(sysadmin),
        **_surveys(sysadmin, people),
    }


def _meetings(sysadmin) -> dict:
    from kyokan.apps.meetings import services as ms

    series = ms.series_create(actor=sysadmin, name="DX推進本部会議", kind="hq")
    start = timezone.now().replace(microsecond=0) - timedelta(days=20)
    out = {}
    for public in (True, False):
        meeting = ms.meeting_create(
            actor=sysadmin, series=series, starts_at=start, ends_at=start + timedelta(hours=1),
            title="公開会議" if public else f"{MARK}会議", place="本庁舎", is_public=public,
        )  # fmt: skip
        item = ms.agenda_item_create(actor=sysadmin, meeting=meeting, title="議題")
        ms.meeting_set_status(actor=sysadmin, meeting=meeting, status="held")
        ms.minutes_save(actor=sysadmin, item=item, text="議事の要旨")
        ms.decision_add(
            actor=sysadmin, meeting=meeting, agenda_item=item,
            text="方針を決定した" if public else f"{MARK}の決定",
        )  # fmt: skip
        ms.minutes_publish(actor=sysadmin, meeting=meeting)
        out["public_meeting" if public else "internal_meeting"] = meeting
    return out


def _documents(sysadmin) -> dict:
    from kyokan.apps.documents import services as ds
    from kyokan.apps.documents.services import SectionData
    from tests.documents.adoption import adopt

    document = ds.document_create(actor=sysadmin, kind="strategy", title="デジタル強靱化戦略")
    adopted = ds.version_create(
        actor=sysadmin, document=document, label="初版",
        sections=[SectionData("目指す姿", "市民中心のDX")],
    )  # fmt: skip
    adopt(adopted, actor=sysadmin)
    draft = ds.version_revise(actor=sysadmin, version=adopted, label=f"{MARK}改定案")
    return {"document": document, "adopted_version": adopted, "draft_version": draft}


def _surveys(sysadmin, people) -> dict:
    """A closed survey whose counts are published (7 staff answered) and one that is not."""
    from kyokan.apps.surveys import services as ss
    from kyokan.apps.surveys.models import Survey
    from tests.surveys.conftest import make_survey

    out = {}
    staff = [people[r] for r in ("secretariat", "hq_chief", "hq_deputy", "hq_member",
                                 "promoter", "staff", "sysadmin")]  # fmt: skip
    for public in (True, False):
        survey, questions = make_survey(
            sysadmin, title="DX意識調査" if public else f"{MARK}の調査", results_public=public
        )
        ss.survey_open(actor=sysadmin, survey=survey)
        for n, person in enumerate(staff):
            ss.response_save(survey=survey, user=person, answers={
                questions["text"].pk: f"自由記述{'' if public else MARK}{n}",
                questions["single"].pk: n % 3, questions["multiple"].pk: [0, 2],
                questions["likert"].pk: 1 + n % 5, questions["number"].pk: n,
            })  # fmt: skip
        ss.survey_close(actor=sysadmin, survey=Survey.objects.get(pk=survey.pk))
        out["public_survey" if public else "internal_survey"] = survey
    return out
