"""Reads of the analysis layer: runs, a finished run's summary arranged for its pages, the
answers of a group (from :class:`AnalysisItem`, paginated in the database), the lists of
near-duplicates and campaigns, the comparison of rounds, and the exports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kyokan.apps.core import exports

from . import messages
from .models import AnalysisItem, AnalysisRun, CommentSet

TOP_VALUES = 8  # values of an attribute shown per group on the run page


def runs() -> QuerySet[AnalysisRun]:
    return AnalysisRun.objects.select_related(
        "question__survey", "earlier_question__survey", "comment_set", "created_by"
    )


def run_for_pages(pk: int) -> AnalysisRun | None:
    """A run without the library's full JSON (the pages read its summary)."""
    return runs().defer("result").filter(pk=pk).first()


def run_result(run: AnalysisRun) -> dict | None:
    """The library's full JSON of a run (for the JSON export)."""
    return AnalysisRun.objects.filter(pk=run.pk).values_list("result", flat=True).first()


def comment_sets() -> QuerySet[CommentSet]:
    return CommentSet.objects.order_by("-created_at")


def is_anonymous(run: AnalysisRun) -> bool:
    return bool(run.question_id and run.question.survey.anonymous)


def has_pages(run: AnalysisRun) -> bool:
    """Whether the run's group pages can be shown: finished after the items were kept (an
    analysis finished before has only its JSON; running it again gives the pages)."""
    return bool(
        run.status == AnalysisRun.Status.DONE
        and not run.is_rounds
        and (run.summary or {}).get("version")
    )


def items_at(run: AnalysisRun, positions) -> dict[int, AnalysisItem]:
    """The items at the given positions, in one query."""
    wanted = sorted({p for p in positions if p is not None})
    if not wanted:
        return {}
    return {i.position: i for i in AnalysisItem.objects.filter(run=run, position__in=wanted)}


def previous_round_run(run: AnalysisRun) -> AnalysisRun | None:
    """The latest finished analysis of the same question in the survey's previous round."""
    question = run.question
    if question is None or run.is_rounds or question.survey.previous_round_id is None:
        return None
    return (
        AnalysisRun.objects.filter(
            question__survey=question.survey.previous_round_id,
            question__text=question.text,
            earlier_question__isnull=True,
            status=AnalysisRun.Status.DONE,
        )
        .exclude(reference_text="")
        .defer("result")
        .order_by("-created_at")
        .first()
    )


def earlier_round_question(run: AnalysisRun):
    """The free-text question of the survey's previous round with the same text (the one a
    comparison of rounds starts from), or None."""
    question = run.question
    if question is None or run.is_rounds or question.survey.previous_round_id is None:
        return None
    from kyokan.apps.surveys.models import Question

    return (
        Question.objects.filter(
            survey=question.survey.previous_round_id, kind=Question.Kind.TEXT, text=question.text
        )
        .select_related("survey")
        .first()
    )


def _cluster_entry(run: AnalysisRun, cluster: dict, summary: dict, anonymous: bool) -> dict:
    alignment = summary["stats"].get("alignment") or {}
    breakdown = summary["stats"].get("breakdown", {}).get(cluster["id"], {})
    entry = {
        **cluster,
        "count": messages.answers_count(cluster.get("rows"), cluster.get("size")),
        "alignment": (alignment.get("clusters") or {}).get(cluster["id"]),
        "breakdown": []
        if anonymous
        else [
            {
                "name": messages.attribute_name(name),
                "values": list(values["values"].items())[:TOP_VALUES],
                "others": values["others"]
                + sum(int(n) for _v, n in list(values["values"].items())[TOP_VALUES:]),
            }
            for name, values in breakdown.items()
        ],
    }
    return entry


def result_view(run: AnalysisRun) -> dict:
    """The summary arranged for the run's page: the tree of groups with their counts,
    keywords and representative answers, how their numbers were chosen, the divergence and
    alignment explained with their numbers, the near-duplicates and campaigns."""
    summary = run.summary or {}
    stats = summary.get("stats", {})
    clusters = summary.get("clusters", [])
    anonymous = is_anonymous(run)
    coarse = [c for c in clusters if c["level"] == 1]
    texts = items_at(run, (p for c in coarse for p in c["representatives"][:3]))
    tree = []
    for cluster in (c for c in clusters if c["level"] == 1):
        entry = _cluster_entry(run, cluster, summary, anonymous)
        entry["examples"] = [texts[p].text for p in cluster["representatives"][:3] if p in texts]
        entry["children"] = [
            _cluster_entry(run, c, summary, anonymous)
            for c in clusters
            if c.get("parent") == cluster["id"]
        ]
        tree.append(entry)
    groups = {} if anonymous else stats.get("groups", {})
    alignment = stats.get("alignment") or {}
    parts = alignment.get("parts") or []
    counts = alignment.get("part_counts") or []
    near = summary.get("near_duplicates", [])
    campaigns = summary.get("campaigns", [])
    selection = stats.get("selection") or {}
    n_clusters = stats.get("clusters") or {}
    return {
        "stats": stats,
        "tree": tree,
        "anonymous": anonymous,
        "departments": sorted(groups.get("department", {}).items()),
        "roles": sorted(groups.get("role", {}).items()),
        "alignment": alignment,
        "alignment_parts": [
            {"number": n + 1, "text": part, "answers": counts[n] if n < len(counts) else 0}
            for n, part in enumerate(parts)
        ],
        "explanations": {
            "divergence": messages.divergence_explanation(),
            "divergence_detail": messages.divergence_detail(stats.get("divergence_detail")),
            "spread": messages.spread_explanation(
                (stats.get("divergence_parts") or {}).get("spread")
            ),
            "alignment": messages.alignment_explanation() if alignment else "",
            "coarse": messages.selection_text(selection, n_clusters.get("coarse", 0)),
            "fine": messages.fine_rule_text(
                fine=n_clusters.get("fine", 0),
                distinct=stats.get("distinct", 0),
                given=run.fine is not None,
            ),
            "near_duplicates": messages.near_duplicate_rule(),
            "campaigns": messages.campaign_rule(),
        },
        "selection": selection,
        "near_duplicates": near[:5],
        "near_duplicates_total": len(near),
        "campaigns": campaigns[:5],
        "campaigns_total": len(campaigns),
        "total_count": messages.answers_count(stats.get("items"), stats.get("distinct")),
    }


# --- a group's page ----------------------------------------------------------------------


def cluster_of(run: AnalysisRun, cluster_id: str) -> dict | None:
    for cluster in (run.summary or {}).get("clusters", []):
        if cluster["id"] == cluster_id:
            return cluster
    return None


def group_items(run: AnalysisRun, cluster: dict) -> QuerySet[AnalysisItem]:
    """The group's answers, near-duplicates folded into their first answer (shown with the
    fold's size): largest folds first, then in the order they came."""
    field = "coarse" if cluster["level"] == 1 else "fine"
    return AnalysisItem.objects.filter(run=run, is_head=True, **{field: cluster["id"]}).order_by(
        "-fold_size", "position"
    )


def campaign_items(run: AnalysisRun, campaign_id: str) -> QuerySet[AnalysisItem]:
    return AnalysisItem.objects.filter(run=run, campaign=campaign_id, is_head=True).order_by(
        "-fold_size", "position"
    )


def fold_attributes(run: AnalysisRun, heads: list[AnalysisItem]) -> dict[int, list]:
    """For each folded answer on the page, the attributes of everyone in its fold:
    ``{position: [(attribute, [(value, answers), …]), …]}`` — one query for the page."""
    folded = [h.position for h in heads if h.fold_size > 1]
    if not folded:
        return {}
    counts: dict[int, dict[str, Counter]] = {}
    for fold, attributes in AnalysisItem.objects.filter(run=run, fold__in=folded).values_list(
        "fold", "attributes"
    ):
        by_name = counts.setdefault(fold, {})
        for name, value in (attributes or {}).items():
            by_name.setdefault(name, Counter())[value] += 1
    return {
        fold: [
            (name, sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_VALUES])
            for name, values in by_name.items()
        ]
        for fold, by_name in counts.items()
    }


def item_rows(run: AnalysisRun, heads: list[AnalysisItem], anonymous: bool) -> list[dict]:
    """The rows of an answers table: text, fold size, attributes (none for an anonymous
    survey), campaign, and the part of the definition the answer is closest to."""
    parts = ((run.summary or {}).get("stats", {}).get("alignment") or {}).get("parts") or []
    names = {}
    folds = {} if anonymous else fold_attributes(run, heads)
    rows = []
    for head in heads:
        attributes = [] if anonymous else list((head.attributes or {}).items())
        for name, _value in attributes:
            names.setdefault(name, messages.attribute_name(name))
        part = head.alignment_part
        rows.append(
            {
                "item": head,
                "attributes": [(names[n], v) for n, v in attributes],
                "fold": [(messages.attribute_name(n), v) for n, v in folds.get(head.position, [])],
                "part": parts[part] if part is not None and part < len(parts) else "",
                "part_number": part + 1 if part is not None else None,
            }
        )
    return rows


def group_view(run: AnalysisRun, cluster: dict) -> dict:
    summary = run.summary or {}
    clusters = summary.get("clusters", [])
    anonymous = is_anonymous(run)
    entry = _cluster_entry(run, cluster, summary, anonymous)
    parent = next((c for c in clusters if c["id"] == cluster.get("parent")), None)
    children = [
        _cluster_entry(run, c, summary, anonymous)
        for c in clusters
        if c.get("parent") == cluster["id"]
    ]
    siblings = [c for c in clusters if c["level"] == cluster["level"]]
    at = items_at(run, cluster["representatives"][:3])
    return {
        "cluster": entry,
        "parent": parent,
        "children": children,
        "siblings": siblings,
        "representatives": [at[p] for p in cluster["representatives"][:3] if p in at],
        "anonymous": anonymous,
        "alignment": (summary.get("stats", {}).get("alignment") or {}),
    }


def near_duplicates(run: AnalysisRun) -> list[dict]:
    return (run.summary or {}).get("near_duplicates", [])


def campaigns(run: AnalysisRun) -> list[dict]:
    return (run.summary or {}).get("campaigns", [])


def campaign_of(run: AnalysisRun, campaign_id: str) -> dict | None:
    return next((c for c in campaigns(run) if c.get("id") == campaign_id), None)


def groups_of_positions(run: AnalysisRun, positions) -> dict[int, tuple[str, str]]:
    """(coarse, fine) group ids of the items at the given positions (one query)."""
    return {p: (i.coarse, i.fine) for p, i in items_at(run, positions).items()}


# --- rounds --------------------------------------------------------------------------------


def rounds_view(run: AnalysisRun) -> dict:
    """A comparison of rounds: each round's divergence with its explanation, alignment, and
    share of every group of the shared set."""
    result = run.summary or run.result or {}
    rounds = result.get("rounds", [])
    names = [str(run.earlier_question.survey), str(run.question.survey)]
    for entry, name in zip(rounds, names, strict=False):
        entry["name"] = name
        entry["detail"] = messages.divergence_detail(entry.get("explanation"))
    groups = []
    for cluster in result.get("clusters", []):
        shares = [float((r.get("coarse_shares") or {}).get(cluster["id"], 0.0)) for r in rounds]
        groups.append({**cluster, "shares": shares})
    return {
        "rounds": rounds,
        "round_names": names[: len(rounds)],
        "groups": groups,
        "change": result.get("change"),
        "change_abs": abs(result["change"]) if result.get("change") is not None else None,
        "divergence_explanation": messages.divergence_explanation(),
    }


# --- exports ---------------------------------------------------------------------------------


def export_filename(run: AnalysisRun, ext: str) -> str:
    return f"analysis-{run.pk}.{ext}"


def attribute_names(run: AnalysisRun) -> list[str]:
    """The attributes kept with the run's answers (none for an anonymous survey)."""
    if is_anonymous(run):
        return []
    if run.comment_set_id:
        return list(run.comment_set.attributes or [])
    first = AnalysisItem.objects.filter(run=run).values_list("attributes", flat=True).first()
    return list(first or {})


def export_header(run: AnalysisRun) -> list[str]:
    """The columns of the answers' table (CSV and the first Excel sheet), translated."""
    return [
        _("answer id"),
        _("answer"),
        *[messages.attribute_name(n) for n in attribute_names(run)],
        _("coarse group"),
        _("coarse group label"),
        _("fine group"),
        _("fine group label"),
        _("near-duplicate of"),
        _("answers in its near-duplicate group"),
        _("campaign"),
        _("alignment"),
        _("closest part of the definition"),
        "x",
        "y",
    ]


def export_rows(run: AnalysisRun) -> Iterator[list]:
    """One row per answer, in the input's order. Every value is written through
    core.exports: an imported comment id "=HYPERLINK(…)" stays text, control characters are
    removed."""
    summary = run.summary or {}
    labels = {c["id"]: c["label"] for c in summary.get("clusters", [])}
    parts = (summary.get("stats", {}).get("alignment") or {}).get("parts") or []
    names = attribute_names(run)
    heads = AnalysisItem.objects.filter(run=run, is_head=True, fold_size__gt=1)
    ids = dict(heads.values_list("position", "item_id"))
    for item in AnalysisItem.objects.filter(run=run).order_by("position").iterator(2_000):
        part = item.alignment_part
        yield [
            item.item_id,
            item.text,
            *[(item.attributes or {}).get(n, "") for n in names],
            item.coarse,
            labels.get(item.coarse, ""),
            item.fine,
            labels.get(item.fine, ""),
            ids.get(item.fold, "") if item.fold != item.position else "",
            item.fold_size,
            item.campaign,
            item.alignment if item.alignment is not None else "",
            parts[part] if part is not None and part < len(parts) else "",
            item.x if item.x is not None else "",
            item.y if item.y is not None else "",
        ]


def export_sheets(run: AnalysisRun) -> list[exports.Sheet]:
    """The Excel workbook: the answers, the groups, the near-duplicates and the campaigns."""
    summary = run.summary or {}
    clusters = summary.get("clusters", [])
    positions = {p for c in clusters for p in c["representatives"][:3]}
    positions |= {d["at"] for d in near_duplicates(run)} | {c["at"] for c in campaigns(run)}
    at = items_at(run, positions)
    alignment = (summary.get("stats", {}).get("alignment") or {}).get("clusters") or {}
    group_rows = (
        [
            c["id"],
            c["level"],
            c.get("parent") or "",
            c["label"],
            "、".join(c.get("keywords") or []),
            c.get("rows", ""),
            c.get("size", ""),
            alignment.get(c["id"], ""),
            *[at[p].text if p in at else "" for p in (c["representatives"] + [None] * 3)[:3]],
        ]
        for c in clusters
    )
    group_header = [
        _("group"),
        _("level (1 coarse, 2 fine)"),
        _("parent group"),
        _("label"),
        _("keywords"),
        _("answers"),
        _("different answers"),
        _("alignment"),
        _("representative answer 1"),
        _("representative answer 2"),
        _("representative answer 3"),
    ]
    near_rows = (
        [
            at[d["at"]].item_id if d["at"] in at else "",
            at[d["at"]].text if d["at"] in at else d["text"],
            d["count"],
            _("yes") if d.get("bulk") else "",
            at[d["at"]].fine if d["at"] in at else "",
        ]
        for d in near_duplicates(run)
    )
    near_header = [_("answer id"), _("answer"), _("answers"), _("bulk submission"), _("fine group")]
    campaign_rows = (
        [
            c["id"],
            at[c["at"]].item_id if c["at"] in at else "",
            at[c["at"]].text if c["at"] in at else c["text"],
            c["distinct"],
            c["count"],
            at[c["at"]].fine if c["at"] in at else "",
        ]
        for c in campaigns(run)
    )
    campaign_header = [
        _("campaign"),
        _("answer id"),
        _("answer"),
        _("different wordings"),
        _("answers"),
        _("fine group"),
    ]
    return [
        exports.Sheet(_("Answers"), export_header(run), export_rows(run)),
        exports.Sheet(_("Groups"), group_header, group_rows),
        exports.Sheet(_("Near-duplicates"), near_header, near_rows),
        exports.Sheet(_("Campaigns"), campaign_header, campaign_rows),
    ]
