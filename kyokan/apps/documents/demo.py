"""Demo documents from the seed: the 令和3年度 Digital Resilience Strategy (adopted), its
revision open for comments (協議中) that adds the DX definition, staff action guidelines and
initiative policies and unifies the mixed ICT / デジタル化 / DX wording; the DX definition
adopted at the 6th headquarters meeting; drafts of the open data guideline and the digital
divide policy; a glossary; and the revision plan of the seed's schedule."""

from datetime import date, timedelta

from django.utils import timezone

from . import services
from .models import Comment, DocumentKind, Endorsement, SectionKind
from .services import SectionData as S

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


def load(ctx) -> None:
    actor = ctx.actor
    secretary = ctx.people["jimukyoku"]

    # The DX definition, adopted at the 6th headquarters meeting.
    definition = services.document_create(
        actor=actor,
        kind=DocumentKind.DX_DEFINITION,
        title="本市のDXの定義",
        description="本部員とともに明確化した「本市としてのDX」。デジタル強靱化戦略に明記する。",
    )
    v1 = services.version_create(
        actor=actor,
        document=definition,
        label="令和3年度版",
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
    services.version_adopt(
        actor=actor,
        version=v1,
        adopted_on=date(2022, 2, 8),
        meeting=("", "", "デジタル化推進本部会議 第6回"),
    )

    # The strategy: 令和3年度 original (adopted) and its revision open for comments.
    strategy = services.document_create(
        actor=actor,
        kind=DocumentKind.STRATEGY,
        title="デジタル強靱化戦略",
        description="本市のデジタル化・DXの目指す姿、基本方針、施策の柱を定める戦略。",
    )
    original = services.version_create(
        actor=actor, document=strategy, label="令和3年度版", sections=ORIGINAL
    )
    services.version_adopt(actor=actor, version=original, adopted_on=date(2021, 4, 1))
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
            "令和3・4年度の取組方針",
            "行政手続のオンライン化と窓口改革を優先し、令和5年度予算に向けて"
            "「(仮)DX取組方針」を7月頃に策定する。",
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
    services.version_open_consultation(
        actor=secretary, version=revision, deadline=timezone.localdate() + timedelta(days=30)
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
    plan = [
        ("事務局案の整理", date(2022, 1, 24), "done"),
        ("デジタル化推進チームでの議論", date(2022, 1, 27), "done"),
        ("第6回本部会議で議論", date(2022, 2, 8), "done"),
        ("第7回本部会議で議論", date(2022, 3, 22), "planned"),
        ("年度内に確定", date(2022, 3, 31), "planned"),
    ]
    for title, day, status in plan:
        services.step_create(
            actor=secretary, document=strategy, title=title, due_date=day, status=status
        )

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
