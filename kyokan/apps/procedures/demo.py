"""Demo inventory: the national survey's procedures that a municipality carries out at its
own office (事務区分 自治事務・法定受託事務, 申請を提出する機関 市役所・町村役場: 2,727
procedures, shipped in ``data/municipal-sample.csv.gz`` — the national file's own rows, see
README "Procedure inventory" for the source and licence), imported as the national file is;
then the city's own file for the last two fiscal years: each procedure's division and its
cases by channel (the national totals scaled to the demo city, about 1/1,200 of Japan), and
for a sample seals, attachments and the citizen's minutes. Two redesigns (転入届, and a
child-care procedure) are recorded and linked to the demo initiatives 書かない窓口 and
子育て手続のワンストップ化; the seal review initiative is linked to procedures with seals.
Everything is written through the import and the services, on the demo's timeline."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from kyokan.apps.core.exports import csv_bytes

from . import importing, services
from .models import Procedure

SAMPLE = Path(__file__).with_name("data") / "municipal-sample.csv.gz"
SCALE = 1200

RULES = [
    (("住民票", "戸籍", "転入", "転出", "転居", "世帯", "印鑑", "住所"), "市民生活部 市民課"),
    (("介護",), "福祉部 高齢福祉課"),
    (("国民健康保険", "国民年金"), "健康医療部 国民健康保険課"),
    (("障害",), "福祉部 障がい福祉課"),
    (("児童", "保育", "子ども", "こども", "出生", "妊娠"), "こども未来部 子育て支援課"),
    (("建築", "昇降機"), "都市整備部 建築指導課"),
    (("道路",), "都市整備部 道路課"),
    (("税",), "財務部 市民税課"),
    (("廃棄物", "ごみ"), "環境部 ごみ減量推進課"),
    (("火葬", "埋葬", "健康", "予防接種", "医療"), "健康医療部 健康推進課"),
]
BY_MINISTRY = {
    "国土交通省": "都市整備部 都市計画課", "環境省": "環境部 環境政策課",
    "農林水産省": "産業観光部 農政課", "経済産業省": "産業観光部 商工振興課",
    "内閣府": "総務部 危機管理課", "法務省": "市民生活部 市民課",
    "文部科学省": "教育委員会事務局 学校教育課", "厚生労働省": "福祉部 福祉総務課",
    "こども家庭庁": "こども未来部 子育て支援課",
}  # fmt: skip


def _division(name: str, ministry: str) -> str:
    for words, division in RULES:
        if any(w in name for w in words):
            return division
    return BY_MINISTRY.get(ministry, "総務部 総務課")


def _national_rows() -> list[dict]:
    text = gzip.decompress(SAMPLE.read_bytes()).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


HEADER = ["手続ID", "担当課", "オンライン化の実施状況", "窓口件数", "郵送件数", "オンライン件数",
          "押印", "添付書類数", "削減した添付書類数", "市民の所要時間(分)", "重点手続"]  # fmt: skip


def _city_file(rows: list[dict], *, earlier: bool) -> bytes:
    lines = []
    for i, r in enumerate(rows):
        total = round(int(r["総手続件数"] or 0) / SCALE)
        online = round(int(r["オンライン手続件数"] or 0) / SCALE)
        status = r["オンライン化の実施状況"]
        if earlier:  # the year before: less online, and the procedures put online since not yet
            online = online * 3 // 4
            if status.startswith("1") and i % 3 == 0:
                status, online = "2 未実施", 0
        online = min(online, total)
        offline = total - online
        counter = offline * 4 // 5
        sampled = i % 5 == 0
        identity = r["申請等における本人確認手法"]
        seal = ""
        if sampled:
            seal = "あり" if "押印" in identity else "なし"
            if seal == "あり" and i % 15 == 0 and not earlier:
                seal = "廃止済"
        attachments = (i % 4) if sampled else ""
        removed = 1 if sampled and attachments and i % 8 == 0 and not earlier else ""
        minutes = ""
        if sampled or total > 1000:
            minutes = 60 if "転入" in r["手続名"] or "転出" in r["手続名"] else 30 + (i % 4) * 10
        priority = (
            "はい" if any(w in r["手続名"] for w in ("児童手当", "保育", "介護", "妊娠")) else ""
        )
        lines.append([r["手続ID"], _division(r["手続名"], r["所管府省庁"]), status, counter,
                      offline - counter, online, seal, attachments, removed, minutes, priority])  # fmt: skip
    return csv_bytes(HEADER, lines)


CITY_COLUMNS = {
    "procedure_id": "手続ID", "department": "担当課", "online_status": "オンライン化の実施状況",
    "counter_count": "窓口件数", "mail_count": "郵送件数", "online_count": "オンライン件数",
    "seal": "押印", "attachment_count": "添付書類数", "attachments_removed": "削減した添付書類数",
    "citizen_minutes": "市民の所要時間(分)", "national_priority": "重点手続",
}  # fmt: skip

MOVE_IN = (
    [("citizen", "来庁し、番号札を取って待つ", "counter", 30),
     ("citizen", "転入届を手書きで記入する", "counter", 15),
     ("staff", "受付・住民記録システムへの入力", "internal", 20),
     ("citizen", "国保・児童手当など関連手続の窓口を回る", "counter", 45)],
    [("citizen", "スマートフォンで事前申請する", "online", 10),
     ("citizen", "来庁し、本人確認と署名をする（書かない窓口）", "counter", 10),
     ("staff", "事前申請の内容を確認し、関連手続も一度に受け付ける", "internal", 12)],
)  # fmt: skip
CHILD = (
    [("citizen", "申請書と添付書類を用意する", "counter", 40),
     ("citizen", "来庁して申請する", "counter", 30),
     ("staff", "審査・入力", "internal", 20)],
    [("citizen", "マイナポータルから申請する", "online", 10),
     ("system", "連携データで審査する", "internal", 5)],
)  # fmt: skip


def _steps(rows):
    return [{"who": w, "what": t, "channel": c, "minutes": m} for w, t, c, m in rows]


def load(ctx) -> None:
    from kyokan.apps.portfolio.models import Initiative

    actor = ctx.people.get("jimukyoku") or ctx.actor
    fy = ctx.timeline.fiscal_year
    rows = _national_rows()
    importing.run(SAMPLE.read_bytes(), actor=actor, kind="national", fiscal_year=fy - 1,
                  municipal_only=True, filename=SAMPLE.name)  # fmt: skip
    for year, earlier in ((fy - 2, True), (fy - 1, False)):
        importing.run(_city_file(rows, earlier=earlier), actor=actor, kind="city",
                      fiscal_year=year, columns=CITY_COLUMNS,
                      filename=f"手続棚卸し_{year}.csv")  # fmt: skip
    services.mapping_save(actor=actor, name="市の棚卸し表", columns=CITY_COLUMNS)
    initiatives = {i.title: i for i in Initiative.objects.all()}
    plans = [
        ("転入届出", MOVE_IN, "書かない窓口", "来庁前の事前申請と書かない窓口で、記入と窓口めぐりをなくす"),
        ("児童手当", CHILD, "子育て手続のワンストップ化", "オンライン申請と連携データで来庁をなくす"),
    ]  # fmt: skip
    for words, (current, redesigned), title, summary in plans:
        procedure = (
            Procedure.objects.filter(name__contains=words).order_by("-total_count", "id").first()
        )
        if procedure is None:
            continue
        services.redesign_save(actor=actor, procedure=procedure, summary=summary,
                               current=_steps(current), redesigned=_steps(redesigned))  # fmt: skip
        if title in initiatives:
            services.initiative_link_add(actor=actor, procedure=procedure,
                                         initiative=initiatives[title])  # fmt: skip
    seal_review = initiatives.get("押印の見直し（押印廃止）")
    if seal_review is not None:
        for procedure in Procedure.objects.filter(seal="abolished").order_by("id")[:5]:
            services.initiative_link_add(actor=actor, procedure=procedure, initiative=seal_review,
                                         note="押印を廃止した手続")  # fmt: skip
