"""`make bench` for documents: a 100-page strategy (300 sections of about 600 characters,
three levels deep) adopted, and its revision with a tenth of the sections revised, some
added and some removed; its pages are opened, diffed and exported.

Long sections: a document whose two sections have the longest text a section may hold
(30,000 characters), revised once with edits spread across the text and once replaced by
a completely different text; the compare page and the diff itself are timed
(``documents.compare.long``, ``documents.diff.30k_edits``, ``documents.diff.30k_different``).
"""

import random
import re
import statistics
import time
from datetime import date

from kyokan.apps.core.bench import BenchPage

from . import diff, services
from .models import SECTION_BODY_MAX_LENGTH, Version
from .services import SectionData

SECTIONS = 300
PARAGRAPH = (
    "市民起点で行政サービスと業務のあり方を見直し、ルール・組織・予算を変えることで、"
    "市民と職員にとっての新しい価値を生み出す。デジタル技術は手段であり、目的は変革にある。"
    "ICTを活用した電子申請を拡大し、窓口の待ち時間を短くする。"
)


def _body(n: int) -> str:
    return f"（{n}）" + PARAGRAPH * 4


def _sections() -> list[SectionData]:
    rows = []
    for n in range(SECTIONS):
        depth = 0 if n % 15 == 0 else (1 if n % 5 == 0 else 2)
        rows.append(SectionData(f"第{n + 1}項 施策の柱と取組", _body(n), depth))
    return rows


# --- long sections ------------------------------------------------------------------------

_SUBJECTS = [
    "市民",
    "職員",
    "本部員",
    "推進員",
    "各部局",
    "事務局",
    "高齢者",
    "子育て世帯",
    "事業者",
    "地域の団体",
    "情報戦略課",
    "窓口を担当する課",
    "庁内の若手職員",
    "学識経験者",
]
_TOPICS = [
    "行政手続のオンライン化",
    "窓口業務の見直し",
    "オープンデータの公開",
    "デジタルデバイド対策",
    "業務プロセスの再設計",
    "データに基づく政策立案",
    "推進員研修",
    "情報セキュリティ対策",
    "基幹業務システムの標準化",
    "キャッシュレス決済の導入",
    "電子契約の活用",
    "書かない窓口",
    "テレワーク環境の整備",
    "ペーパーレス会議",
    "AI議事録の試行",
    "公共施設予約の電子化",
    "子育て支援の申請",
    "介護保険の手続",
    "証明書のコンビニ交付",
    "庁内のチャット活用",
]
_PREDICATES = [
    "を推進する",
    "について検討を進める",
    "の効果を検証する",
    "に必要な予算を確保する",
    "の進捗を本部会議に報告する",
    "を全庁に展開する",
    "の課題を整理する",
    "の手順を見直す",
    "について意見交換会で議論する",
    "の目標値を設定する",
    "を段階的に拡大する",
    "の利用状況を毎月公表する",
]
_LEADS = [
    "",
    "",
    "また、",
    "さらに、",
    "一方で、",
    "このため、",
    "具体的には、",
    "あわせて、",
    "なお、",
]
_CLAUSES = [
    "",
    "",
    "令和{y}年度までに",
    "費用対価値を踏まえ、",
    "ルール・組織・予算の見直しとともに",
    "市民の声を聞きながら",
    "他の自治体の事例を参考に",
    "推進員と連携して",
    "国の動向を踏まえて",
]
_PARTICLES = ["は", "が", "とともに", "と協力して"]


def _sentence(rng: random.Random) -> str:
    clause = rng.choice(_CLAUSES).format(y=rng.randint(4, 13))
    return (
        f"{rng.choice(_LEADS)}{rng.choice(_SUBJECTS)}{rng.choice(_PARTICLES)}{clause}"
        f"{rng.choice(_TOPICS)}{rng.choice(_PREDICATES)}。"
    )


def _fit(sentences: list[str], limit: int) -> str:
    """As many whole sentences as fit in ``limit`` characters."""
    out, size = [], 0
    for sentence in sentences:
        if size + len(sentence) > limit:
            break
        out.append(sentence)
        size += len(sentence)
    return "".join(out)


def long_text(seed: int = 0, limit: int = SECTION_BODY_MAX_LENGTH) -> str:
    """Strategy-like Japanese prose of just under ``limit`` characters: sentences built
    from the plan's vocabulary, in paragraphs of four to seven."""
    rng = random.Random(seed)
    sentences, in_paragraph = [], 0
    while sum(map(len, sentences)) <= limit:
        sentence = _sentence(rng)
        in_paragraph += 1
        if in_paragraph >= rng.randint(4, 7):
            sentence += "\n"
            in_paragraph = 0
        sentences.append(sentence)
    return _fit(sentences, limit)


_SENTENCES = re.compile(r"[^。]*。\n?|[^。]+$")
_LEAD = re.compile("^(?:" + "|".join(lead for lead in _LEADS if lead) + ")")


def spread_edits(text: str, *, every: int = 7, seed: int = 1) -> str:
    """``text`` revised throughout, as a drafting round does: every ``every``-th sentence
    edited (a word replaced, a clause added or dropped), some sentences removed and new
    ones added; the result stays within the section limit."""
    rng = random.Random(seed)
    out = []
    for n, sentence in enumerate(_SENTENCES.findall(text)):
        if n % every == 3:
            kind = n // every % 4
            if kind == 0:
                sentence = sentence.replace(rng.choice(_TOPICS), rng.choice(_TOPICS), 1)
                sentence = sentence.replace("する。", "することとする。", 1)
            elif kind == 1:
                sentence = "市民起点で" + sentence
            elif kind == 2:
                sentence = _LEAD.sub("", sentence)
                sentence = sentence.replace("を", "をデジタル技術により", 1)
            else:
                sentence = sentence.replace("。", "。" + _sentence(rng), 1)
        elif n % (every * 6) == 5:
            continue  # a sentence removed
        out.append(sentence)
    return _fit(out, SECTION_BODY_MAX_LENGTH)


LONG_TITLE = "性能試験 長い節の比較"


def _as_adopted(version) -> None:
    """Benchmark data only: mark the original as adopted so that its public page and the
    compare page can be timed. A real adoption needs a held deciding meeting of the meetings
    module, which documents does not depend on (services.version_adopt, tested in
    tests/documents/test_adoption.py); the benchmark's data set has none."""
    Version.objects.filter(pk=version.pk).update(
        state=Version.State.ADOPTED, adopted_on=date(2021, 4, 1)
    )


def _fill_long(admin) -> None:
    document = services.document_create(actor=admin, kind="other", title=LONG_TITLE)
    original = services.version_create(
        actor=admin,
        document=document,
        label="原案",
        sections=[
            SectionData("編集が散らばる節", long_text(seed=0)),
            SectionData("全く別の文章になる節", long_text(seed=2)),
        ],
    )
    _as_adopted(original)
    revision = services.version_revise(actor=admin, version=original, label="改定案")
    edited, different = revision.sections.order_by("path")
    services.section_update(
        actor=admin, section=edited, expected_revision=edited.revision,
        body=spread_edits(edited.body),
    )  # fmt: skip
    services.section_update(
        actor=admin, section=different, expected_revision=different.revision,
        body=long_text(seed=3),
    )  # fmt: skip


def _long_pks() -> tuple[int, int]:
    versions = Version.objects.filter(document__title=LONG_TITLE).order_by("number")
    original, revision = versions.values_list("pk", flat=True)
    return original, revision


def diff_figures(repeat: int = 5) -> list[dict]:
    """The diff of two 30,000-character sections, timed directly (no page, no database):
    edits spread across the text, and two completely different texts (the worst case)."""
    original = long_text(seed=0)
    cases = {
        "documents.diff.30k_edits": (original, spread_edits(original)),
        "documents.diff.30k_different": (long_text(seed=2), long_text(seed=3)),
    }
    results = []
    for name, (old, new) in cases.items():
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            diff.char_diff(old, new)
            timings.append((time.perf_counter() - start) * 1000)
        results.append(
            {
                "page": name,
                "path": f"diff.char_diff({len(old)} chars, {len(new)} chars)",
                "median_ms": round(statistics.median(timings), 2),
                "queries": 0,
            }
        )
    return results


def extra(log) -> list[dict]:
    log("Diffing two 30,000-character sections (spread edits; completely different)…")
    return diff_figures()


def fill(admin, log) -> None:
    document = services.document_create(
        actor=admin, kind="strategy", title="性能試験 デジタル強靱化戦略（100ページ）"
    )
    original = services.version_create(
        actor=admin, document=document, label="令和3年度版", sections=_sections()
    )
    _as_adopted(original)
    revision = services.version_revise(actor=admin, version=original, label="改定案")
    for n, section in enumerate(revision.sections.order_by("path")):
        if n % 10 == 3:
            services.section_update(
                actor=admin, section=section, expected_revision=section.revision,
                body=section.body.replace("ICT", "デジタル技術") + "DXの定義に合わせて改定する。",
            )  # fmt: skip
        elif n % 50 == 7:
            services.section_remove(actor=admin, section=section)
    for n in range(10):
        services.section_create(
            actor=admin, version=revision, heading=f"追加項目{n}", body=PARAGRAPH * 3
        )
    for n in range(20):
        services.term_create(
            actor=admin,
            preferred=f"用語{n}" if n else "デジタル技術",
            variants="ICT\nIT" if n == 0 else f"旧用語{n}\nきゅうようご{n}",
        )
    log(f"  a {SECTIONS}-section strategy and its revision ({revision.sections.count()} sections)")
    _fill_long(admin)
    log("  a document with two 30,000-character sections and its revision")


def _revision_pk() -> int:
    return (
        Version.objects.filter(
            document__title__startswith="性能試験 デジタル強靱化戦略", based_on__isnull=False
        )
        .values_list("pk", flat=True)
        .get()
    )


def _original_pk() -> int:
    return (
        Version.objects.filter(
            document__title__startswith="性能試験 デジタル強靱化戦略", based_on__isnull=True
        )
        .values_list("pk", flat=True)
        .get()
    )


PAGES = [
    BenchPage("documents.list", lambda: "/documents/"),
    BenchPage("documents.version.300", lambda: f"/versions/{_revision_pk()}/"),
    BenchPage(
        "documents.compare.300",
        lambda: f"/versions/{_revision_pk()}/compare/?against={_original_pk()}&mode=side",
    ),
    BenchPage("documents.export_docx.300", lambda: f"/versions/{_revision_pk()}/export.docx"),
    BenchPage("documents.export_md.300", lambda: f"/versions/{_revision_pk()}/export.md"),
    BenchPage("documents.terms.300", lambda: f"/versions/{_revision_pk()}/terms/"),
    BenchPage("documents.glossary", lambda: "/glossary/"),
    BenchPage("documents.public_version.300", lambda: f"/public/versions/{_original_pk()}/"),
    BenchPage(
        "documents.compare.long",
        lambda: "/versions/{1}/compare/?against={0}&mode=side".format(*_long_pks()),
    ),
    BenchPage(
        "documents.compare.long.inline",
        lambda: "/versions/{1}/compare/?against={0}&mode=inline".format(*_long_pks()),
    ),
]
