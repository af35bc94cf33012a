"""`make bench` for documents: a 100-page strategy (300 sections of about 600 characters,
three levels deep) adopted, and its revision with a tenth of the sections revised, some
added and some removed; its pages are opened, diffed and exported."""

from datetime import date

from kyokan.apps.core.bench import BenchPage

from . import services
from .models import Version
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


def fill(admin, log) -> None:
    document = services.document_create(
        actor=admin, kind="strategy", title="性能試験 デジタル強靱化戦略（100ページ）"
    )
    original = services.version_create(
        actor=admin, document=document, label="令和3年度版", sections=_sections()
    )
    services.version_adopt(actor=admin, version=original, adopted_on=date(2021, 4, 1))
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


def _revision_pk() -> int:
    return (
        Version.objects.filter(document__title__startswith="性能試験", based_on__isnull=False)
        .values_list("pk", flat=True)
        .get()
    )


def _original_pk() -> int:
    return (
        Version.objects.filter(document__title__startswith="性能試験", based_on__isnull=True)
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
]
