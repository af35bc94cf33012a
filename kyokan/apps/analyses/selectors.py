"""Reads of the analysis layer: runs, and a stored result made ready for the page."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kyokan.apps.core import exports
from kyokan.apps.surveys.models import Answer

from . import messages
from .models import AnalysisRun, CommentSet

BULK_SHOWN = 20  # bulk submissions listed on the page (all of them are in the exports)


def runs() -> QuerySet[AnalysisRun]:
    return AnalysisRun.objects.select_related("question__survey", "comment_set", "created_by")


def comment_sets() -> QuerySet[CommentSet]:
    return CommentSet.objects.order_by("-created_at")


def texts_by_id(run: AnalysisRun, ids: set[str]) -> dict[str, str]:
    """The original texts of the given items (for representatives), in one query."""
    if run.question_id:
        numeric = [int(i) for i in ids if str(i).isdigit()]
        answers = Answer.objects.filter(question=run.question_id, response_id__in=numeric)
        return {str(a.response_id): a.text for a in answers}
    from kyokan import textanalysis

    comments = textanalysis.read_comments_csv(run.comment_set.content.encode("utf-8"))
    return {i: t for i, t in zip(comments.ids, comments.texts, strict=True) if i in ids}


def previous_round_run(run: AnalysisRun) -> AnalysisRun | None:
    """The latest finished analysis of the same question in the survey's previous round."""
    question = run.question
    if question is None or question.survey.previous_round_id is None:
        return None
    return (
        AnalysisRun.objects.filter(
            question__survey=question.survey.previous_round_id,
            question__text=question.text,
            status=AnalysisRun.Status.DONE,
        )
        .exclude(reference_text="")
        .order_by("-created_at")
        .first()
    )


def result_view(run: AnalysisRun) -> dict:
    """The stored JSON arranged for the page: the cluster tree with keywords, sizes and
    representative answers, the divergence and alignment by group."""
    result = run.result or {}
    clusters = result.get("clusters", [])
    stats = result.get("stats", {})
    wanted = {i for c in clusters for i in c.get("representatives", [])[:3]}
    texts = texts_by_id(run, wanted) if wanted else {}
    alignment = stats.get("alignment") or {}
    coarse = []
    for cluster in (c for c in clusters if c["level"] == 1):
        children = [c for c in clusters if c.get("parent") == cluster["id"]]
        for c in [cluster, *children]:
            c["examples"] = [texts[i] for i in c.get("representatives", [])[:3] if i in texts]
            c["alignment"] = alignment.get("clusters", {}).get(c["id"])
        coarse.append({**cluster, "children": children})
    breakdown = stats.get("breakdown", {})
    for cluster in coarse:
        by_department = breakdown.get(cluster["id"], {}).get("department", {})
        cluster["by_department"] = sorted(
            by_department.items(), key=lambda kv: (-int(kv[1]), kv[0])
        )[:8]
    groups = stats.get("groups", {})
    if run.question_id and run.question.survey.anonymous:
        # Nothing about bureaus or roles is stored with anonymous answers (older results
        # were stripped of it when the answers were migrated).
        groups = {}
        for cluster in coarse:
            cluster["by_department"] = []
    bulk = stats.get("bulk") or []
    explanations = {"divergence": messages.divergence_explanation()}
    if alignment:
        explanations["alignment"] = messages.alignment_explanation()
    if bulk:
        explanations["bulk"] = messages.bulk_rule()
    return {
        "explanations": explanations,
        "stats": stats,
        "tree": coarse,
        "departments": sorted(groups.get("department", {}).items()),
        "roles": sorted(groups.get("role", {}).items()),
        "alignment": alignment,
        "items": len(result.get("items", [])),
        "bulk": bulk[:BULK_SHOWN],
        "bulk_total": len(bulk),
    }


# --- exports ---------------------------------------------------------------------------------


def export_filename(run: AnalysisRun, ext: str) -> str:
    return f"analysis-{run.pk}.{ext}"


def export_header() -> list[str]:
    """The columns of the answers' table (CSV and the first Excel sheet), translated."""
    return [
        _("answer id"),
        _("coarse group"),
        _("coarse group label"),
        _("fine group"),
        _("fine group label"),
        "x",
        "y",
        _("duplicate of"),
        _("alignment"),
    ]


def export_rows(run: AnalysisRun) -> Iterator[list]:
    """One row per analysed answer. Every value is written through core.exports: an
    imported comment id "=HYPERLINK(…)" stays text, control characters are removed."""
    result = run.result or {}
    labels = {c["id"]: c["label"] for c in result.get("clusters", [])}
    for item in result.get("items", []):
        coarse, fine = item["clusters"]
        yield [
            item["id"],
            coarse or "",
            labels.get(coarse, ""),
            fine or "",
            labels.get(fine, ""),
            item["x"] if item["x"] is not None else "",
            item["y"] if item["y"] is not None else "",
            item["duplicate_of"] or "",
            item.get("alignment", ""),
        ]


def export_sheets(run: AnalysisRun) -> list[exports.Sheet]:
    """The Excel workbook: the answers, and the groups with their keywords."""
    clusters = (
        [c["id"], c["level"], c["parent"] or "", c["label"], "、".join(c["keywords"]), c["size"]]
        for c in (run.result or {}).get("clusters", [])
    )
    group_header = [
        _("group"),
        _("level (1 coarse, 2 fine)"),
        _("parent group"),
        _("label"),
        _("keywords"),
        _("distinct answers"),
    ]
    return [
        exports.Sheet(_("Answers"), export_header(), export_rows(run)),
        exports.Sheet(_("Groups"), group_header, clusters),
    ]
