"""Reads of the documents app."""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from kyokan.apps.core import decisions
from kyokan.apps.core.hr import department_names_on
from kyokan.apps.core.roles import Role

from . import diff
from .models import Comment, Document, DocumentKind, Endorsement, Section, Version

VERSION_LINK = "documents.version"  # the link type of a version (core.links, core.decisions)


def documents_list(*, kind: str = "") -> QuerySet[Document]:
    qs = Document.objects.annotate(version_count=Count("versions"))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.prefetch_related(
        Prefetch("versions", queryset=Version.objects.order_by("-number"), to_attr="ordered")
    ).order_by("kind", "title")


@dataclass
class NumberedSection:
    section: Section
    number: str  # "1", "1.2", "1.2.3"
    comment_count: int = 0


def numbered_sections(version: Version, *, include_removed: bool = True) -> list[NumberedSection]:
    """The section tree in reading order, numbered 1, 1.1, 1.2, 2 …; removed sections (in a
    revision) are listed but not numbered."""
    qs = (
        version.sections.select_related("updated_by")
        .annotate(comment_total=Count("comments"))
        .order_by("path")
    )
    if not include_removed:
        qs = qs.exclude(change=Section.Change.REMOVED)
    counters: list[int] = []
    result = []
    for section in qs:
        if section.change == Section.Change.REMOVED:
            result.append(NumberedSection(section, "—", section.comment_total))
            continue
        depth = section.depth
        counters = counters[: depth + 1]
        while len(counters) <= depth:
            counters.append(0)
        counters[depth] += 1
        result.append(
            NumberedSection(section, ".".join(str(n) for n in counters), section.comment_total)
        )
    return result


def change_counts(version: Version) -> dict[str, int]:
    rows = version.sections.values("change").annotate(n=Count("id"))
    counts = {r["change"]: r["n"] for r in rows}
    return {c.value: counts.get(c.value, 0) for c in Section.Change}


# --- diff -------------------------------------------------------------------------------------


COMPARE_SECONDS = 1.0  # one compare page: after this, the rest by whole sentences


@dataclass
class SectionDiff:
    status: str  # "added", "removed", "revised", "unchanged", "moved"
    old: Section | None
    new: Section | None
    heading: list[diff.Span] = field(default_factory=list)
    body_old: list[diff.Span] = field(default_factory=list)
    body_new: list[diff.Span] = field(default_factory=list)
    body_inline: list[diff.Span] = field(default_factory=list)


def compare_versions(old: Version, new: Version, *, include_unchanged: bool = False) -> dict:
    """Match sections by lineage; a section only in ``new`` is added, only in ``old`` (or
    marked removed in ``new``) is removed, in both with other text is revised.

    All the sections' diffs share one time and work budget (``diff.Budget``), so a page of
    many long sections stays fast; ``approximate`` says that some were compared by whole
    sentences or clauses rather than by character."""
    budget = diff.Budget(seconds=COMPARE_SECONDS)
    old_sections = {s.lineage: s for s in old.sections.order_by("path")
                    if s.change != Section.Change.REMOVED}  # fmt: skip
    new_sections = {s.lineage: s for s in new.sections.order_by("path")
                    if s.change != Section.Change.REMOVED}  # fmt: skip
    rows: list[SectionDiff] = []
    counts = {"added": 0, "removed": 0, "revised": 0, "unchanged": 0}
    for lineage, section in new_sections.items():
        before = old_sections.get(lineage)
        if before is None:
            counts["added"] += 1
            rows.append(
                SectionDiff(
                    "added", None, section,
                    heading=[diff.Span("insert", section.heading)],
                    body_new=[diff.Span("insert", section.body)],
                    body_inline=[diff.Span("insert", section.body)],
                )
            )  # fmt: skip
            continue
        same = (before.heading, before.body) == (section.heading, section.body)
        if same:
            counts["unchanged"] += 1
            if include_unchanged:
                rows.append(SectionDiff("unchanged", before, section,
                                        heading=[diff.Span("equal", section.heading)]))  # fmt: skip
            continue
        counts["revised"] += 1
        inline = diff.char_diff(before.body, section.body, budget=budget)
        old_side, new_side = diff.split_sides(inline)
        rows.append(
            SectionDiff(
                "revised",
                before,
                section,
                heading=diff.char_diff(before.heading, section.heading, budget=budget),
                body_old=old_side,
                body_new=new_side,
                body_inline=inline,
            )
        )
    for lineage, section in old_sections.items():
        if lineage not in new_sections:
            counts["removed"] += 1
            rows.append(
                SectionDiff(
                    "removed", section, None,
                    heading=[diff.Span("delete", section.heading)],
                    body_old=[diff.Span("delete", section.body)],
                    body_inline=[diff.Span("delete", section.body)],
                )
            )  # fmt: skip
    return {"rows": rows, "counts": counts, "approximate": budget.approximate}


# --- who shares the text ------------------------------------------------------------------


ROLE_ORDER = [Role.HQ_CHIEF, Role.HQ_DEPUTY, Role.HQ_MEMBER, Role.SECRETARIAT, Role.PROMOTER,
              Role.STAFF]  # fmt: skip


def version_day(version: Version):
    """The day a version's comments and endorsements are dated by, for the names of
    divisions: the day it was adopted, else the end of its consultation, never after
    today."""
    from django.utils import timezone

    today = timezone.localdate()
    day = version.adopted_on or version.comment_deadline or today
    return min(day, today)


def sharing_stats(version: Version) -> dict:
    """Endorsements, objections and comments by bureau and by role, so the headquarters can
    see how widely the text is shared. Bureaus carry the name they had then (a bureau
    renamed since by the HR import keeps its name of then). A fixed number of queries."""
    positions = list(
        version.endorsements.select_related(
            "person__department__parent", "section", "resolved_by"
        ).prefetch_related("person__role_assignments")
    )
    endorsements = [e for e in positions if e.section_id is None]  # on the whole version
    comments = list(
        Comment.objects.filter(section__version=version)
        .select_related("author__department__parent")
        .prefetch_related("author__role_assignments")
    )
    by_bureau: dict[int | None, dict[str, int]] = {}
    by_role: dict[str, dict[str, int]] = {r.value: {"endorse": 0, "object": 0, "comments": 0}
                                          for r in ROLE_ORDER}  # fmt: skip

    def bureau_of(person) -> int | None:
        d = person.department
        if d is None:
            return None
        return d.parent_id or d.pk

    def bump(person, key):
        row = by_bureau.setdefault(bureau_of(person), {"endorse": 0, "object": 0, "comments": 0})
        row[key] += 1
        for assignment in person.role_assignments.all():
            if assignment.role in by_role:
                by_role[assignment.role][key] += 1

    for e in endorsements:
        bump(e.person, "endorse" if e.stance == Endorsement.Stance.ENDORSE else "object")
    for c in comments:
        bump(c.author, "comments")
    names = department_names_on([pk for pk in by_bureau if pk], version_day(version))
    return {
        "endorse": sum(1 for e in endorsements if e.stance == Endorsement.Stance.ENDORSE),
        "object": sum(1 for e in endorsements if e.stance == Endorsement.Stance.OBJECT),
        "comments": len(comments),
        "open_comments": sum(1 for c in comments if c.resolution == Comment.Resolution.OPEN),
        "by_bureau": sorted(
            ((names.get(pk, "—") if pk else "—", row) for pk, row in by_bureau.items()),
            key=lambda pair: pair[0],
        ),
        "by_role": [(Role(r).label, by_role[r]) for r in by_role],
        "objections": sorted(
            (e for e in positions if e.stance == Endorsement.Stance.OBJECT),
            key=lambda e: (e.section.path if e.section_id else "", e.pk),
        ),
        "open_objections": sum(1 for e in positions if e.awaits_answer),
        "by_section": _by_section(positions),
    }


def _by_section(positions) -> dict[int, dict[str, int]]:
    """Endorsements and objections of single sections: {section id: {"endorse", "object"}}."""
    counts: dict[int, dict[str, int]] = {}
    for e in positions:
        if e.section_id is not None:
            row = counts.setdefault(e.section_id, {"endorse": 0, "object": 0})
            row["endorse" if e.stance == Endorsement.Stance.ENDORSE else "object"] += 1
    return counts


def positions_of(version: Version, person) -> list[Endorsement]:
    """A person's positions on a version (the whole and single sections), with answers."""
    return list(
        version.endorsements.filter(person=person)
        .select_related("section", "resolved_by")
        .order_by("section__path", "pk")
    )


# --- public and dashboard ---------------------------------------------------------------------


def adopted_version(kind: str) -> Version | None:
    return (
        Version.objects.filter(document__kind=kind, state=Version.State.ADOPTED)
        .select_related("document")
        .order_by("-adopted_on", "-number")
        .first()
    )


def dx_definition() -> Version | None:
    return adopted_version(DocumentKind.DX_DEFINITION)


def dx_definition_in_consultation() -> Version | None:
    """The DX definition being drafted and open for comments (協議中), when none is adopted
    yet: shown to city staff as a draft, never as the definition."""
    return (
        Version.objects.filter(
            document__kind=DocumentKind.DX_DEFINITION, state=Version.State.CONSULTATION
        )
        .select_related("document")
        .order_by("-number")
        .first()
    )


def public_documents() -> QuerySet[Document]:
    """Documents with at least one adopted (or later superseded) version."""
    public_states = [Version.State.ADOPTED, Version.State.SUPERSEDED, Version.State.ABOLISHED]
    return (
        Document.objects.filter(versions__state__in=public_states)
        .distinct()
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=Version.objects.filter(state__in=public_states).order_by("-number"),
                to_attr="public_versions",
            )
        )
        .order_by("kind", "title")
    )


def is_public(version: Version) -> bool:
    return version.state in (
        Version.State.ADOPTED,
        Version.State.SUPERSEDED,
        Version.State.ABOLISHED,
    )


def comments_of(section: Section) -> list[Comment]:
    return list(
        section.comments.select_related("author", "resolved_by").order_by("created_at", "id")
    )


def open_comments(version: Version) -> QuerySet[Comment]:
    return Comment.objects.filter(
        section__version=version, resolution=Comment.Resolution.OPEN
    ).select_related("section", "author")


# --- my work ----------------------------------------------------------------------------------


def open_consultations(user, *, limit: int = 50) -> list[Version]:
    """Versions open for comments (協議中) whose deadline has not passed, nearest deadline
    first; each with ``my_position`` (the person's stance on the whole version, or "") and
    ``my_comments`` (how many comments the person wrote on it). Three queries."""
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    versions = list(
        Version.objects.filter(state=Version.State.CONSULTATION)
        .filter(Q(comment_deadline__isnull=True) | Q(comment_deadline__gte=today))
        .select_related("document")
        .order_by("comment_deadline", "pk")[:limit]
    )
    ids = [v.pk for v in versions]
    stances = dict(
        Endorsement.objects.filter(
            version_id__in=ids, person=user, section__isnull=True
        ).values_list("version_id", "stance")
    )
    comments = dict(
        Comment.objects.filter(section__version_id__in=ids, author=user)
        .values("section__version_id")
        .annotate(n=Count("id"))
        .values_list("section__version_id", "n")
    )
    for v in versions:
        v.my_position = stances.get(v.pk, "")
        v.my_comments = comments.get(v.pk, 0)
    return versions


def awaiting_answers(*, limit: int = 50) -> list[Version]:
    """Versions with comments or objections still waiting for the secretariat's answer,
    with ``open_comments`` and ``open_objections`` counted. Two queries."""
    open_ = Comment.Resolution.OPEN
    comments = dict(
        Comment.objects.filter(
            resolution=open_,
            section__version__state__in=[Version.State.DRAFT, Version.State.CONSULTATION],
        )
        .values("section__version_id")
        .annotate(n=Count("id"))
        .values_list("section__version_id", "n")
    )
    objections = dict(
        Endorsement.objects.filter(
            stance=Endorsement.Stance.OBJECT,
            resolution=open_,
            version__state__in=[Version.State.DRAFT, Version.State.CONSULTATION],
        )
        .values("version_id")
        .annotate(n=Count("id"))
        .values_list("version_id", "n")
    )
    ids = sorted(set(comments) | set(objections))[:limit]
    versions = list(
        Version.objects.filter(pk__in=ids).select_related("document").order_by("comment_deadline")
    )
    for v in versions:
        v.open_comments = comments.get(v.pk, 0)
        v.open_objections = objections.get(v.pk, 0)
    return versions


# --- adoption -----------------------------------------------------------------------------------


def waiting_phrase(comments: int, objections: int) -> str:
    """「意見2件、異議1件」 / "2 comments, 1 objection": what still waits for an answer (the
    counts that are not zero), or ""."""
    from django.utils.translation import ngettext, pgettext

    parts = []
    if comments:
        parts.append(ngettext("%(n)s comment", "%(n)s comments", comments) % {"n": comments})
    if objections:
        parts.append(
            ngettext("%(n)s objection", "%(n)s objections", objections) % {"n": objections}
        )
    return pgettext("list separator", ", ").join(parts)


def consultation_summary(version: Version) -> dict:
    """What going back to draft would end: open comments and objections, the deadline."""
    return {
        "open_comments": version.comments_open_count(),
        "open_objections": version.objections_open_count(),
        "deadline": version.comment_deadline,
    }


# The marks of a draft (案) in a title: a bracket ending in 案 (「（案）」「(案)」「【素案】」
# 「（事務局案）」), 「素案」「原案」「試案」「草案」, and a trailing 「案」 after
# 改定・改正・変更・策定 (「令和8年度改定案」).
_DRAFT_MARKS = re.compile(
    r"\s*[（(【\[〔][^（）()【】\[\]〔〕]{0,20}?案\s*[）)】\]〕]"
    r"|(?:素|原|試|草)案"
    r"|(?<=改定|改正|変更|策定)案"
)


def adopted_title(label: str) -> str:
    """The title a version takes when it is adopted: its label without the marks of a draft
    (「令和8年度改定案」→「令和8年度改定」, 「DXの定義（案）」→「DXの定義」)."""
    title = _DRAFT_MARKS.sub("", label).strip()
    return title or label.strip()


def adoption_candidates(version: Version) -> list[decisions.Candidate]:
    """The meetings that may have adopted ``version``: held, deciding meetings whose agenda
    links it (kyokan.apps.core.decisions; the meetings module answers)."""
    return decisions.candidates(VERSION_LINK, str(version.pk))
