"""Demo portfolio: about 40 initiatives across the demo strategy's measures, mixing tool
purchases (D, 改善, no lever) and real reforms (X, 変革, rule and organisation changes),
with costs, values, KPIs, two years of quarterly progress up to the current quarter (some
reports missing, some returned), budgets of the previous and the current fiscal year
(令和4年度 and 令和5年度 of the seed's story), the future vision's steps and a generated
DX取組方針 draft for the current year. Built through the services, on the demo timeline."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from kyokan.apps.core.demo import DEPARTMENTS
from kyokan.apps.core.notifications import dated

from . import periods, selectors, services
from .models import VisionStep

REFORMS = [
    ("押印の見直し（押印廃止）", "総務部", "総務課", "regulation", "押印の見直しに関する規則の改正",
     "", "", "申請・届出をする市民と事業者", "押印のためだけに来庁している", "押印なしで郵送・オンライン申請できる"),
    ("書かない窓口", "市民生活部", "市民課", "guideline", "窓口事務取扱要綱の改正",
     "窓口改革担当（新設の課）を置く", "窓口システム導入費", "転入・出生などで来庁する市民",
     "同じ内容を何枚もの申請書に手書きしている", "職員が聞き取り、署名だけで手続が終わる"),
    ("子育て手続のワンストップ化", "こども未来部", "子育て支援課", "regulation",
     "児童手当事務取扱規則の改正", "子育て手続の窓口を一本化", "", "乳幼児のいる家庭",
     "複数の課を回って同じ説明をしている", "一度の手続で関連する申請が終わる"),
    ("介護認定のオンライン申請と審査の再設計", "福祉部", "高齢福祉課", "guideline",
     "介護認定審査会運営要綱の改正", "", "審査会のオンライン化経費", "要介護認定を申請する家族",
     "審査結果まで1か月以上待つ", "申請から結果までが短くなる"),
    ("道路損傷の市民通報と補修の見直し", "都市整備部", "道路課", "other", "道路パトロール実施基準の改正",
     "", "", "道路を利用する市民", "通報しても結果が分からない", "通報から補修の状況まで見える"),
    ("ごみ収集のデータ活用とルート再編", "環境部", "ごみ減量推進課", "none", "",
     "収集班の再編", "委託料の見直し", "ごみを出す市民", "収集時刻が不規則", "収集時刻が安定する"),
    ("納税のキャッシュレス化と督促の再設計", "財務部", "納税課", "regulation", "市税取扱規則の改正",
     "", "収納代行手数料", "納税者", "金融機関の窓口に行く必要がある", "スマートフォンで納付できる"),
    ("学校の連絡のデジタル化と業務改革", "教育委員会事務局", "学校教育課", "guideline",
     "学校事務処理要綱の改正", "学校事務の共同実施", "", "保護者", "紙の連絡が届かない",
     "連絡と欠席届がスマートフォンで済む"),
]  # fmt: skip

TOOLS = [
    ("RPAの導入", "業務のデジタル化"), ("Web会議システムの更新", "業務のデジタル化"),
    ("タブレット端末の配備", "業務のデジタル化"), ("AI-OCRの導入", "業務のデジタル化"),
    ("チャットボットの導入", "行政手続のオンライン化"), ("電子申請フォームの追加", "行政手続のオンライン化"),
    ("施設予約システムの更新", "行政手続のオンライン化"), ("スマートフォン教室の開催", "デジタルデバイド対策"),
    ("公衆無線LANの整備", "デジタルデバイド対策"), ("文書管理システムの更新", "業務のデジタル化"),
]  # fmt: skip


def _at(day) -> datetime:
    """10:00 on ``day``, never later than now: a report of today is submitted and reviewed
    before the demo is loaded, also when it is loaded before 10:00."""
    return min(timezone.make_aware(datetime.combine(day, time(10, 0))), timezone.now())


def load(ctx) -> None:
    actor = ctx.people.get("jimukyoku") or ctx.actor
    fy = ctx.timeline.fiscal_year
    today = ctx.timeline.today
    sections = {s.heading: s for s in selectors.strategy_sections()}
    bureaus = {name: ctx.departments[name] for name, _divs in DEPARTMENTS}
    created = []
    for n, (title, bureau, division, rule, rule_name, org, budget, who, pain, change) in enumerate(
        REFORMS
    ):
        created.append(
            services.initiative_create(
                actor=actor, title=title, bureau=bureaus[bureau],
                division=ctx.departments[division], fiscal_year_start=fy - 1,
                fiscal_year_end=fy + 2, status="active", scope="henkaku", dx="X",
                rule_kind=rule, rule_name=rule_name,
                organisation_kind="change" if org else "none", organisation_change=org,
                budget_kind="change" if budget else "none", budget_change=budget,
                value_who=who, value_pain=pain, value_change=change,
                value_absent="申請書の様式と順番が、市民ではなく課の都合で決まっている",
                summary=f"{title}により、{change}。",
                initial_cost_yen=3_000_000 + n * 1_500_000, running_cost_yen=600_000 + n * 100_000,
                useful_life_years=5, staff_hours_run=200, cases_per_year=4_000 + n * 1_000,
                cases_source="令和3年度の窓口統計", citizen_minutes_saved_per_case=25 + n * 5,
                minutes_source="窓口での実測（10件の平均）", staff_hours_saved=1_200 + n * 200,
                staff_hours_source="業務量調査", qualitative_score=4,
                qualitative_reason="来庁の負担がなくなり、市民の満足度が上がる",
                sections=[s for h, s in sections.items() if h == "行政手続のオンライン化"][:1],
            )
        )  # fmt: skip
    names = [name for name, _d in DEPARTMENTS]
    k = 0
    while len(created) < 40:
        title, measure = TOOLS[k % len(TOOLS)]
        bureau_name = names[k % len(names)]
        division = DEPARTMENTS[k % len(names)][1][0]
        created.append(
            services.initiative_create(
                actor=actor, title=f"{title}（{bureau_name}）", bureau=bureaus[bureau_name],
                division=ctx.departments[division], fiscal_year_start=fy - 1 + k % 2,
                fiscal_year_end=fy + 1, status=["active", "plan", "active", "done"][k % 4],
                scope="kaizen", dx="D", rule_kind="none", organisation_kind="none",
                budget_kind="none", value_who="職員", value_change="作業時間が短くなる",
                initial_cost_yen=1_000_000 + k * 250_000, running_cost_yen=800_000 + k * 50_000,
                staff_hours_saved=150 + k * 20, cases_per_year=500 if k % 3 == 0 else 0,
                citizen_minutes_saved_per_case=5 if k % 3 == 0 else 0,
                cost_source="見積（3社）", staff_hours_source="導入課の試算",
                sections=[sections[measure]] if measure in sections else [],
            )
        )  # fmt: skip
        k += 1
    created[1].refresh_from_db()
    services.estimates_set(actor=actor, initiative=created[1], estimates={
        "cases_per_year": (created[1].cases_per_year // 2, created[1].cases_per_year * 2),
        "citizen_minutes_saved_per_case": (15, 45),
    })  # fmt: skip
    stopped = created[-1]
    services.initiative_set_status(
        actor=actor, initiative=stopped, status="stopped", reason="国の標準システムへの移行で不要になった"
    )  # fmt: skip

    # KPIs: the reforms carry two each.
    kpis = []
    for i, initiative in enumerate(created[: len(REFORMS)]):
        online = services.kpi_create(
            actor=actor, initiative=initiative, name="オンラインで完結した件数の割合", unit="%",
            direction="up", baseline=Decimal(5), baseline_year=fy - 1,
            targets={fy - 1: Decimal(15), fy: Decimal(40), fy + 1: Decimal(60)},
        )  # fmt: skip
        wait = services.kpi_create(
            actor=actor, initiative=initiative, name="窓口の平均待ち時間", unit="分",
            direction="down", baseline=Decimal(35), baseline_year=fy - 1,
            targets={fy - 1: Decimal(30), fy: Decimal(20)},
        )  # fmt: skip
        kpis.append((online, wait, i))

    # Two years of quarterly progress up to the current quarter.
    current = periods.quarter_of(today)
    quarters, cursor = [], (fy - 1, 1)
    while cursor <= current:
        quarters.append(cursor)
        cursor = periods.next_quarter(*cursor)
    by_initiative = {online.initiative_id: (online, wait, i) for online, wait, i in kpis}
    for n, initiative in enumerate(created):
        if initiative.status not in ("active", "done") and initiative.pk not in by_initiative:
            continue
        for step, (year, q) in enumerate(quarters):
            if year not in initiative.fiscal_years:
                continue
            last = (year, q) == current
            if last and n % 3 == 0:
                continue  # not reported yet this quarter
            if not last and n % 7 == 3 and step % 3 == 1:
                continue  # a quarter that was never reported
            start, _end = periods.quarter_range(year, q)
            day = min(start + timedelta(days=20), today)
            actuals = {}
            if initiative.pk in by_initiative:
                online, wait, i = by_initiative[initiative.pk]
                share = Decimal(5 + (step + 1) * (4 + i % 3))
                minutes = Decimal(35 - (step + 1) * (1 + i % 2))
                actuals = {online: (share, "電子申請システムの集計"), wait: (minutes, "窓口の実測")}
            report = services.report_submit(
                actor=actor, initiative=initiative, fiscal_year=year, quarter=q,
                percent_done=min(100, 10 + step * 12), health=["good", "good", "caution", "late"][(n + step) % 4],
                happened=f"{periods.quarter_label(year, q)}：関係課と調整し、計画どおり作業を進めた。",
                issues="人員の確保" if (n + step) % 4 == 3 else "",
                help_needed="事務局の助言がほしい" if (n + step) % 4 == 3 else "",
                actuals=actuals, today=day, at=_at(day),
            )  # fmt: skip
            if last:
                if n % 5 == 1:
                    # its author is told when it was returned
                    with dated(_at(day)):
                        services.report_review(actor=actor, report=report, accept=False,
                                               comment="KPIの出典を補足してください", at=_at(day))  # fmt: skip
                continue
            services.report_review(actor=actor, report=report, accept=True, at=_at(day))

    for n, initiative in enumerate(created):
        for year in (fy - 1, fy):
            if year in initiative.fiscal_years:
                requested = 2_000_000 + n * 300_000 + (year - fy + 1) * 400_000
                services.budget_set(
                    actor=actor, initiative=initiative, fiscal_year=year, requested_yen=requested,
                    approved_yen=requested * 9 // 10,
                    executed_yen=requested * 8 // 10 if year < fy else requested // 4,
                )  # fmt: skip
        services.milestone_create(
            actor=actor, initiative=initiative, title="本格稼働", due_on=ctx.timeline.day(60 + n)
        )

    goal_one = [online for online, _w, _i in kpis]
    goal_two = [wait for _o, wait, _i in kpis]
    services.goal_create(actor=actor, fiscal_year=fy, title="来庁しなくてよい市役所",
                         description="オンラインで完結する手続を増やす", kpis=goal_one)  # fmt: skip
    services.goal_create(actor=actor, fiscal_year=fy, title="待たない窓口",
                         description="窓口の待ち時間を短くする", kpis=goal_two)  # fmt: skip

    services.step_create(actor=actor, kind=VisionStep.Kind.STRATEGY, name="次期戦略の開始",
                         fiscal_year=fy + 1, meaning="次期デジタル強靱化戦略の計画期間の始まり")  # fmt: skip
    services.step_create(actor=actor, name="将来像 ステップ1", fiscal_year=fy + 3,
                         meaning="主な手続が来庁せずに完結し、窓口は相談の場になる")  # fmt: skip
    services.step_create(actor=actor, name="将来像 ステップ2", fiscal_year=fy + 5,
                         meaning="市民が手続を意識せずにサービスを受けられる")  # fmt: skip
    services.policy_draft_generate(actor=actor, fiscal_year=fy)
