"""Demo documents from the seed, on the demo's timeline (core.demo.DemoTimeline): the Digital
Resilience Strategy adopted in an earlier fiscal year and its revision open for comments
(協議中) in the current one, which adds the DX definition, staff action guidelines and
initiative policies and unifies the mixed ICT / デジタル化 / DX wording; the DX definition
drafted by the secretariat and open for comments now (the headquarters decides it at the 6th
and 7th meetings, within the fiscal year: it is NOT adopted in the demo); drafts of the open
data guideline and the digital divide policy; a glossary; and the revision plan of the
seed's schedule (事務局案 → 推進チーム → 第6回 → 第7回 → 年度内に確定) dated on the timeline.

Adoption needs a held deciding meeting that had the version on its agenda (item 1 of issue
9), and the meetings' demo runs after this one: the meetings' demo puts the strategy's first
version on the agenda of the meeting that decided it (:func:`strategy_original`) and then
calls :func:`adopt_decided`, which adopts it through the documents services, at that
meeting, on its date."""

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.notifications import dated

from . import selectors, services
from .models import Comment, DocumentKind, Endorsement, SectionKind, Version
from .services import SectionData as S

STRATEGY = "デジタル強靱化戦略"
DEFINITION_TITLE = "本市のDXの定義"

DEFINITION = (
    "本市のDXとは、市民起点で行政サービスと業務のあり方を見直し、"
    "ルール・組織・予算を変えることで、市民と職員にとっての新しい価値を生み出し続けることである。"
    "デジタル技術は手段であり、目的は変革（X）にある。"
)

ORIGINAL = [
    S("目指す姿", "ICTを活用し、市民の利便性向上と行政の効率化を実現するまち。", 0, SectionKind.VISION),
    S(
        "基本方針",
        "情報化の推進により、行政手続のデジタル化を進める。"
        "IT化による業務効率化を図り、デジタル化に対応した人材を育成する。",
        0,
        SectionKind.BASIC_POLICY,
    ),
    S("施策の柱", "", 0, SectionKind.PILLAR),
    S("行政手続のオンライン化", "市民が来庁せずに手続できるよう、ICTを活用した電子申請を拡大する。", 1,
      SectionKind.MEASURE),
    S("業務のデジタル化", "RPA等のツールを導入し、定型業務のIT化を進める。", 1, SectionKind.MEASURE),
    S("デジタルデバイド対策", "高齢者等を対象としたスマートフォン教室を開催する。", 1, SectionKind.MEASURE),
    S("想定される変化", "窓口の待ち時間が短くなり、職員の事務負担が軽減される。", 0,
      SectionKind.EXPECTED_CHANGE),
]  # fmt: skip


def _sections(version):
    return {s.heading: s for s in version.sections.all()}


def _label(fy: int, suffix: str) -> str:
    return f"{japanese_dates.fiscal_year_label(fy, with_western=False)}{suffix}"


def _comments_until(tl):
    """Comments close about five weeks ahead, before the 6th meeting. (A demo built for a day
    in the past — tests do that — cannot open comments that closed before the real today:
    the service refuses it, so the deadline is then today.)"""
    from django.utils import timezone

    return max(tl.day(35), timezone.localdate())


def _opened_at(tl):
    """Both consultations opened the office day after the promotion team discussed the drafts
    (two weeks ago, see the plan steps): the staff were told then, not when the demo loads."""
    return tl.at(-13, 10)


def _answered_at(tl):
    """The secretariat answered the first comments about a week after the opening."""
    return tl.at(-6, 14)


def strategy_original() -> tuple[str, str, str] | None:
    """The link (type, id, label) of the strategy's first version, for the agenda of the
    meeting that decided it (the meetings' demo)."""
    version = (
        Version.objects.filter(document__title=STRATEGY, number=1)
        .select_related("document")
        .first()
    )
    if version is None:
        return None
    return (selectors.VERSION_LINK, str(version.pk), str(version))


def adopt_decided(ctx) -> list[Version]:
    """Adopt the demo's versions that a held deciding meeting decided — the strategy's first
    version, once the meetings' demo has put it on a held headquarters meeting's agenda — at
    that meeting, on the day it was held (through services.version_adopt, audited, the
    decision recorded among the meeting's). A version no held meeting had on its agenda
    stays as it is."""
    adopted = []
    for version in Version.objects.filter(
        document__title=STRATEGY, number=1, state=Version.State.DRAFT
    ):
        candidates = selectors.adoption_candidates(version)
        if not candidates:
            continue
        meeting = candidates[-1]  # the earliest meeting that had it on its agenda
        services.version_adopt(
            actor=ctx.actor,
            version=version,
            adopted_on=meeting.date,
            meeting=meeting.key,
            title=selectors.adopted_title(version.label),
            announce=False,  # the city's past: nobody is told today
        )
        adopted.append(version)
        _revision(ctx, version)
    return adopted


def _revision(ctx, original: Version) -> Version:
    """The strategy's revision in the current fiscal year, open for comments (協議中): what
    the seed's schedule discusses at the 6th and 7th meetings."""
    secretary = ctx.people["jimukyoku"]
    tl = ctx.timeline
    fy = tl.fiscal_year
    revision = services.version_revise(
        actor=secretary, version=original, label="改定案（第6回本部会議）"
    )
    parts = _sections(revision)
    for heading, body in [
        ("目指す姿", "DXにより、市民一人ひとりが新しい価値を実感できる、変化に強いまち。"),
        (
            "基本方針",
            "市民起点でプロセスを再設計し、ルール・組織・予算を柔軟に変えていく。"
            "DXに向けたチャレンジを組織として推奨し、取組は費用対価値で判断する。",
        ),
    ]:
        section = parts[heading]
        services.section_update(
            actor=secretary, section=section, expected_revision=section.revision, body=body
        )
    digital_divide = parts["デジタルデバイド対策"]
    services.section_update(
        actor=secretary,
        section=digital_divide,
        expected_revision=digital_divide.revision,
        body="誰一人取り残さないよう、地域の身近な場所でデジタル活用を支援する体制をつくる。",
    )
    services.section_remove(actor=secretary, section=parts["業務のデジタル化"])
    added = [
        ("DXの定義", DEFINITION, SectionKind.DEFINITION),
        (
            "職員の行動指針",
            "1. 市民の立場で考える。2. 前例にとらわれず挑戦する。3. 費用対価値で判断する。"
            "4. 学び合い、共有する。",
            SectionKind.GUIDELINE,
        ),
        (
            "今年度・次年度の取組方針",
            "行政手続のオンライン化と窓口改革を優先し、"
            f"{_label(fy + 1, '予算')}に向けて「(仮)DX取組方針」を7月頃に策定する。",
            SectionKind.POLICY,
        ),
        (
            "取組の進捗状況と新たな課題",
            "ツール導入が先行し、業務改革（X）の視点が不足していた。"
            "部局ごとの「やらされ感」「負担感」の解消が課題である。",
            SectionKind.PROGRESS,
        ),
    ]
    for heading, body, kind in added:
        services.section_create(
            actor=secretary, version=revision, heading=heading, body=body, kind=kind
        )
    with dated(_opened_at(tl)):
        services.version_open_consultation(
            actor=secretary, version=revision, deadline=_comments_until(tl)
        )
    parts = _sections(revision)
    comments = [
        ("honbuin", "基本方針", "「費用対価値」の算定方法を各部局が共有できるよう、別途手引きを示してほしい。",
         Comment.Resolution.REFLECTED, "取組方針に算定の考え方を追記します。"),
        ("honbuin03", "DXの定義", "「変革」の例を定義の後に示すと職員に伝わりやすい。",
         Comment.Resolution.OPEN, ""),
        ("suishinin", "職員の行動指針", "行動指針を研修の教材にも使いたい。", Comment.Resolution.ADDRESSED,
         "推進員研修で活用します。"),
        ("honbuin05", "目指す姿", "「変化に強いまち」は抽象的ではないか。", Comment.Resolution.DECLINED,
         "将来像ステップ1・2で具体化するため、目指す姿は簡潔な表現とします。"),
    ]  # fmt: skip
    for login, heading, body, resolution, note in comments:
        comment = services.comment_add(actor=ctx.people[login], section=parts[heading], body=body)
        if resolution != Comment.Resolution.OPEN:
            with dated(_answered_at(tl)):
                services.comment_answer(
                    actor=secretary, comment=comment, resolution=resolution, note=note
                )
    endorsers = ["honbucho", "fukuhonbucho", "honbuin", "honbuin03", "honbuin04", "honbuin06",
                 "suishinin", "suishinin03"]  # fmt: skip
    for login in endorsers:
        services.endorsement_set(
            actor=ctx.people[login], version=revision, stance=Endorsement.Stance.ENDORSE
        )
    services.endorsement_set(
        actor=ctx.people["honbuin05"],
        version=revision,
        stance=Endorsement.Stance.OBJECT,
        note="目指す姿の表現を再検討してほしい。",
    )
    return revision


def load(ctx) -> None:
    actor = ctx.actor
    secretary = ctx.people["jimukyoku"]
    tl = ctx.timeline
    fy = tl.fiscal_year

    # The DX definition: the secretariat's draft (after the 5th meeting decided to define DX
    # with the members), discussed by the promotion team, open for comments until before
    # the 6th meeting. Not adopted: the 6th and 7th meetings decide it.
    definition = services.document_create(
        actor=actor,
        kind=DocumentKind.DX_DEFINITION,
        title=DEFINITION_TITLE,
        description="本部員とともに明確化する「本市としてのDX」。デジタル強靱化戦略に明記する。",
    )
    draft = services.version_create(
        actor=secretary,
        document=definition,
        label="DXの定義（事務局案）",
        sections=[
            S("DXの定義", DEFINITION, 0, SectionKind.DEFINITION),
            S(
                "DXを進めるうえでの考え方",
                "DXは「経営」そのものであり、ルール・組織・予算を変えることである。"
                "改善にとどまらず、市民目線で新たな価値を生み出す変革を目指す。"
                "取組は費用対価値で判断する。",
                0,
                SectionKind.BASIC_POLICY,
            ),
        ],
    )
    with dated(_opened_at(tl)):
        services.version_open_consultation(
            actor=secretary, version=draft, deadline=_comments_until(tl)
        )
    first, second = list(draft.sections.order_by("path"))
    definition_comment = services.comment_add(
        actor=ctx.people["honbuin07"],
        section=first,
        body="「新しい価値」が誰にとっての価値か、市民の例を添えてほしい。",
    )
    with dated(_answered_at(tl)):
        services.comment_answer(
            actor=secretary,
            comment=definition_comment,
            resolution=Comment.Resolution.REFLECTED,
            note="定義の後に市民の例（来庁不要の手続など）を追記します。",
        )
    services.comment_add(
        actor=ctx.people["honbuin04"],
        section=second,
        body="「費用対価値」の判断を誰が行うのかを明記してほしい。",
    )
    for login in ["honbucho", "fukuhonbucho", "honbuin", "honbuin06", "suishinin"]:
        services.endorsement_set(
            actor=ctx.people[login], version=draft, stance=Endorsement.Stance.ENDORSE
        )
    services.endorsement_set(
        actor=ctx.people["honbuin03"],
        version=draft,
        section=second,
        stance=Endorsement.Stance.ENDORSE,
        note="「経営そのもの」という表現に賛同します。",
    )

    # The strategy: the version adopted in an earlier fiscal year (by the meeting that the
    # meetings' demo holds then, see adopt_decided) and its revision open for comments.
    strategy = services.document_create(
        actor=actor,
        kind=DocumentKind.STRATEGY,
        title=STRATEGY,
        description="本市のデジタル化・DXの目指す姿、基本方針、施策の柱を定める戦略。",
    )
    # Adopted two fiscal years ago at the meeting that decided it (see adopt_decided).
    services.version_create(
        actor=actor, document=strategy, label=_label(fy - 2, "版"), sections=ORIGINAL
    )
    # The revision plan of the seed's schedule, in the current fiscal year: the 5th meeting
    # (about three weeks ago) decided it; the secretariat's draft and the team's discussion
    # followed; the 6th meeting (being date-polled, about two months ahead) and the 7th
    # (about three months ahead) discuss it; adopted by the end of the fiscal year.
    seventh = tl.day(90)
    year_end = japanese_dates.fiscal_year_range(japanese_dates.fiscal_year_of(seventh))[1]
    plan = [
        ("事務局案の整理", tl.day(-18), "done", ""),
        ("デジタル化推進チームでの議論", tl.day(-14), "done", ""),
        ("第6回本部会議で議論", tl.day(56), "planned", "日程調整中"),
        ("第7回本部会議で議論", seventh, "planned", ""),
        ("年度内に確定", year_end, "planned", ""),
    ]
    for title, day, status, note in plan:
        services.step_create(
            actor=secretary, document=strategy, title=title, due_date=day, status=status,
            note=note,
        )  # fmt: skip
    for title, day, status, note in [
        ("事務局案の作成", tl.day(-16), "done", ""),
        ("デジタル化推進チームでの議論", tl.day(-14), "done", ""),
        ("意見募集（本部員・職員）", _comments_until(tl), "planned", "協議中"),
        ("第6回・第7回本部会議で議論し決定", seventh, "planned", ""),
    ]:
        services.step_create(
            actor=secretary, document=definition, title=title, due_date=day, status=status,
            note=note,
        )  # fmt: skip

    # Agenda papers of the 6th meeting, still drafts.
    for kind, title, sections in [
        (
            DocumentKind.OPEN_DATA,
            "オープンデータガイドライン",
            [S("目的", "行政データを機械判読可能な形で公開し、市民・事業者の利活用を促す。"),
             S("公開の原則", "1セル1データ、数値に単位を含めない、日付は西暦で記載する。")],
        ),
        (
            DocumentKind.DIGITAL_DIVIDE,
            "デジタルデバイド対策に関する考え方",
            [S("基本的な考え方", "デジタル化により誰一人取り残さない。対面の窓口も維持する。"),
             S("具体的な取組", "地区センターでのスマートフォン相談会、デジタル活用支援員の育成。")],
        ),
    ]:  # fmt: skip
        document = services.document_create(actor=actor, kind=kind, title=title)
        services.version_create(
            actor=secretary, document=document, label="改定版（案）", sections=sections
        )

    # The glossary: one definition of DX, and the mixed wording to unify.
    for fields in [
        {
            "preferred": "DX",
            "reading": "でぃーえっくす",
            "definition": DEFINITION,
            "variants": "デジタルトランスフォーメーション\nデジタル・トランスフォーメーション",
            "notes": "初出時は「DX（デジタルトランスフォーメーション）」と書く。",
        },
        {
            "preferred": "デジタル化",
            "reading": "でじたるか",
            "definition": "紙や手作業の業務・手続をデジタル技術で置き換えること（DXの「D」）。",
            "variants": "ICT化\nIT化\n情報化",
            "notes": "「ICT」「IT」「情報化」が混在しているため、定義に合わせて統一する。",
        },
        {
            "preferred": "デジタル技術",
            "reading": "でじたるぎじゅつ",
            "definition": "",
            "variants": "ICT\nIT",
            "notes": "機器や通信を指す場合。",
        },
        {
            "preferred": "費用対価値",
            "reading": "ひようたいかち",
            "definition": "取組の年間費用に対して、市民と職員にもたらす価値の大きさ。",
            "variants": "費用対効果",
            "notes": "",
        },
    ]:
        services.term_create(actor=actor, **fields)
