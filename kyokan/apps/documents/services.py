"""Writes of the documents app. Every function records an audit event."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyokan.apps.core import decisions
from kyokan.apps.core.audit import audit_record, audited_create, audited_delete, audited_update
from kyokan.apps.core.japanese_dates import wareki_date
from kyokan.apps.core.models import AuditEvent, User
from kyokan.apps.core.notifications import Message, notify
from kyokan.apps.core.once import creates_once
from kyokan.apps.core.roles import CITY_STAFF_ROLES
from kyokan.apps.core.validation import validate_sane_date

from . import search_index, selectors
from .models import (
    SECTION_BODY_MAX_LENGTH,
    Comment,
    Document,
    Endorsement,
    GlossaryTerm,
    RevisionStep,
    Section,
    Version,
)
from .selectors import VERSION_LINK
from .terms import ReplacementPlan, replace_all, replacement_plan


class EditConflict(Exception):
    """Someone else saved the section since the editor opened it."""

    def __init__(self, section: Section):
        super().__init__(section.heading)
        self.section = section


@dataclass(frozen=True)
class SectionData:
    """A section to create in bulk (import, demo): depth 0 is a top-level section."""

    heading: str
    body: str = ""
    depth: int = 0
    kind: str = "free"


def _path(parent: Section | None, order: int) -> str:
    own = f"{order:04d}"
    return f"{parent.path}.{own}" if parent else own


def _require_editable(version: Version) -> None:
    if not version.is_editable:
        raise ValidationError(
            _("Only a draft can be edited; this version is “%(state)s”.")
            % {"state": version.get_state_display()}
        )


# --- documents and versions --------------------------------------------------------------


@transaction.atomic
@creates_once
def document_create(
    *, actor, kind: str, title: str, description: str = "", easy_japanese_summary: str = ""
) -> Document:
    return audited_create(
        actor=actor,
        instance=Document(
            kind=kind,
            title=title,
            description=description,
            easy_japanese_summary=easy_japanese_summary,
        ),
    )


@transaction.atomic
def document_update(*, actor, document: Document, **changes) -> bool:
    changed = audited_update(actor=actor, instance=document, changes=changes)
    if changed and "title" in changes:
        for version in document.versions.all():
            search_index.version_put(version)
    return changed


def _next_number(document: Document) -> int:
    return (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
@creates_once
def version_create(
    *, actor, document: Document, label: str, sections: list[SectionData] = ()
) -> Version:
    """A new first draft (not a revision), optionally filled with sections in reading order
    (each with its depth), as an import produces them."""
    version = audited_create(
        actor=actor,
        instance=Version(
            document=document, number=_next_number(document), label=label, created_by=actor
        ),
    )
    _bulk_sections(actor=actor, version=version, sections=sections)
    search_index.version_put(version)
    return version


def check_section_lengths(sections) -> None:
    """Refuse, before anything is written, sections whose text is longer than a section
    may hold (imports and bulk loads do not go through the model's validation)."""
    too_long = [data for data in sections if len(data.body) > SECTION_BODY_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            _(
                "%(n)s sections are longer than %(limit)s characters, the most a section can "
                "hold: %(headings)s. Split them into several sections."
            )
            % {
                "n": len(too_long),
                "limit": f"{SECTION_BODY_MAX_LENGTH:,}",
                "headings": "、".join(
                    f"「{data.heading[:40]}」({len(data.body):,})" for data in too_long[:5]
                ),
            },
            code="section_too_long",
        )


def _bulk_sections(*, actor, version: Version, sections) -> int:
    sections = list(sections)
    check_section_lengths(sections)
    parents: list[Section] = []  # the open ancestors, by depth
    counters: dict[int | None, int] = {}
    created = 0
    for data in sections:
        depth = max(0, min(data.depth, len(parents)))
        parents = parents[:depth]
        parent = parents[-1] if parents else None
        key = parent.pk if parent else None
        counters[key] = counters.get(key, 0) + 1
        section = Section(
            version=version,
            parent=parent,
            order=counters[key],
            depth=depth,
            path=_path(parent, counters[key]),
            kind=data.kind,
            heading=data.heading[:300],
            body=data.body,
            change=Section.Change.UNCHANGED if version.based_on_id is None else "added",
            updated_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        section.save(force_insert=True)
        parents.append(section)
        created += 1
    if created:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LOAD,
            target=version,
            summary=_("%(n)s sections loaded") % {"n": created},
        )
    return created


@transaction.atomic
@creates_once
def version_revise(*, actor, version: Version, label: str) -> Version:
    """Start a revision: a new draft that copies every section of ``version`` (keeping each
    section's lineage, so the two can be compared) marked unchanged."""
    document = version.document
    if document.versions.filter(
        state__in=[Version.State.DRAFT, Version.State.CONSULTATION]
    ).exists():
        raise ValidationError(_("This document already has a revision in progress."))
    revision = audited_create(
        actor=actor,
        instance=Version(
            document=document,
            number=_next_number(document),
            label=label,
            based_on=version,
            created_by=actor,
        ),
        summary=_("Revision of %(v)s") % {"v": version.label},
    )
    originals = list(
        version.sections.exclude(change=Section.Change.REMOVED).order_by("depth", "path")
    )
    copies: dict[int, Section] = {}
    for original in originals:
        copy = Section(
            version=revision,
            parent=copies.get(original.parent_id),
            order=original.order,
            depth=original.depth,
            path=original.path,
            lineage=original.lineage,
            kind=original.kind,
            heading=original.heading,
            body=original.body,
            change=Section.Change.UNCHANGED,
        )
        copy.save(force_insert=True)
        copies[original.pk] = copy
    search_index.version_put(revision)
    return revision


@transaction.atomic
def version_open_consultation(*, actor, version: Version, deadline: date) -> bool:
    if version.state != Version.State.DRAFT:
        raise ValidationError(_("Only a draft can be opened for comments."))
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The comment deadline is in the past.")})
    if not version.sections.exists():
        raise ValidationError(_("An empty version cannot be opened for comments."))
    changed = audited_update(
        actor=actor,
        instance=version,
        changes={"state": Version.State.CONSULTATION, "comment_deadline": deadline},
    )
    if changed:
        _tell_staff_consultation(actor=actor, version=version)
    return changed


CONSULTATION_OPENED = "documents.consultation_opened"  # notification kinds (panels.py)
ADOPTED = "documents.adopted"


def city_staff():
    """Everyone who works for the city and may read documents (active accounts)."""
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=list(CITY_STAFF_ROLES))
        .distinct()
        .order_by("pk")
    )


def _version_url(version: Version) -> str:
    from django.urls import reverse

    return reverse("documents:version", args=[version.pk])


def _reader_day(day: date) -> str:
    """A date in 和暦 (with 西暦) in the language the message is being written in."""
    from django.utils import translation

    lang = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    return wareki_date(day, lang=lang)


def _tell_staff_consultation(*, actor, version: Version) -> None:
    """A consultation (協議中) opened: city staff are told, with its deadline in 和暦."""

    def message() -> Message:
        return Message(
            subject=_("Open for comments until %(date)s: %(version)s")
            % {"date": _reader_day(version.comment_deadline), "version": version},
            text=_(
                "%(version)s is open for comments (協議中) until %(date)s. Comment on its "
                "sections, endorse it or object from its page."
            )
            % {"version": version, "date": _reader_day(version.comment_deadline)},
        )

    notify(
        actor=actor,
        recipients=city_staff(),
        kind=CONSULTATION_OPENED,
        message=message,
        link=_version_url(version),
        target=version,
        dedupe_key=f"consultation:{version.pk}:{version.comment_deadline.isoformat()}",
    )


def _tell_staff_adopted(*, actor, version: Version) -> None:
    """A version adopted: city staff are told its title and 「令和○年○月○日 第○回本部会議決定」
    (in each reader's language)."""

    def message() -> Message:
        caption = version.decision_caption()
        return Message(
            subject=_("Adopted: %(version)s") % {"version": version},
            text=_("%(version)s was adopted (%(caption)s).")
            % {"version": version, "caption": caption},
        )

    notify(
        actor=actor,
        recipients=city_staff(),
        kind=ADOPTED,
        message=message,
        link=_version_url(version),
        target=version,
        dedupe_key=f"adopted:{version.pk}",
    )


@transaction.atomic
def version_back_to_draft(*, actor, version: Version) -> bool:
    """End the consultation (協議中) early and make the version a draft again. The audit
    event says how many comments and objections were still waiting for an answer."""
    if version.state != Version.State.CONSULTATION:
        raise ValidationError(_("Only a version open for comments can go back to draft."))
    summary = selectors.consultation_summary(version)
    deadline = summary["deadline"]
    return audited_update(
        actor=actor,
        instance=version,
        changes={"state": Version.State.DRAFT},
        summary=_(
            "Consultation ended before its deadline (%(deadline)s): back to draft with "
            "%(comments)s open comments and %(objections)s unanswered objections"
        )
        % {
            "deadline": wareki_date(deadline) if deadline else "—",
            "comments": summary["open_comments"],
            "objections": summary["open_objections"],
        },
    )


@transaction.atomic
def version_adopt(
    *, actor, version: Version, adopted_on: date, meeting: str, title: str, announce: bool = True
) -> decisions.Candidate:
    """Record the adoption (決定) of ``version`` as what happened: at ``meeting`` (a
    candidate key from :func:`adoption_candidates`: a held, deciding meeting that had the
    version on its agenda), on the day it was held (not in the future), under the adopted
    ``title``; every comment and objection answered. The meeting records the decision among
    its own, linked to the version — one act. The previously adopted version of the document
    is superseded. City staff are told (``announce``; the demo, recording the city's past,
    tells nobody)."""
    version = Version.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.state not in (Version.State.DRAFT, Version.State.CONSULTATION):
        raise ValidationError(_("This version is already %(state)s.") % {
            "state": version.get_state_display()
        })  # fmt: skip
    validate_sane_date(adopted_on)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if adopted_on > today:
        errors.setdefault("adopted_on", []).append(
            _("The decision date is in the future: a decision is recorded once it is taken.")
        )
    chosen = decisions.candidate(meeting, VERSION_LINK, str(version.pk)) if meeting else None
    if chosen is None:
        errors.setdefault("meeting", []).append(
            _(
                "Choose the meeting that decided it: a held deciding meeting (a headquarters "
                "meeting, or a series marked as deciding) with this version on its agenda."
            )
        )
    elif chosen.date != adopted_on:
        errors.setdefault("adopted_on", []).append(
            _("%(meeting)s was held on %(date)s: the decision date is the day of the meeting.")
            % {"meeting": chosen.label, "date": wareki_date(chosen.date)}
        )
    title = " ".join((title or "").split())
    if not title:
        errors.setdefault("title", []).append(_("Give the adopted title."))
    elif len(title) > Version._meta.get_field("label").max_length:
        errors.setdefault("title", []).append(
            _("The title can be at most %(n)s characters long.")
            % {"n": Version._meta.get_field("label").max_length}
        )
    if errors:
        raise ValidationError(errors)
    open_comments = version.comments_open_count()
    if open_comments:
        raise ValidationError(
            _("%(n)s comments have no response yet; answer them before adoption.")
            % {"n": open_comments}
        )
    open_objections = version.objections_open_count()
    if open_objections:
        raise ValidationError(
            _("%(n)s objections have no response yet; answer them before adoption.")
            % {"n": open_objections}
        )
    for previous in version.document.versions.filter(state=Version.State.ADOPTED):
        audited_update(actor=actor, instance=previous, changes={"state": Version.State.SUPERSEDED})
    audited_update(
        actor=actor,
        instance=version,
        changes={
            "state": Version.State.ADOPTED,
            "label": title,
            "adopted_on": adopted_on,
            "adopted_by_type": chosen.provider,
            "adopted_by_id": chosen.meeting_id,
            "adopted_by_label": chosen.label[:200],
        },
        summary=_("Adopted at %(meeting)s on %(date)s")
        % {"meeting": chosen.label, "date": wareki_date(adopted_on)},
    )
    decisions.record(
        actor=actor,
        candidate=chosen,
        target=decisions.Target(
            VERSION_LINK, str(version.pk), f"{version.document.title} {title}"[:200]
        ),
        text=f"「{version.document.title}」（{title}）を決定した。",
    )
    search_index.version_put(version)
    if announce:
        _tell_staff_adopted(actor=actor, version=version)
    return chosen


@transaction.atomic
def version_abolish(*, actor, version: Version) -> bool:
    """廃止: the adopted version stops being in force (it stays public, marked 廃止)."""
    if version.state != Version.State.ADOPTED:
        raise ValidationError(_("Only an adopted version can be abolished."))
    if version.document.versions.filter(
        state__in=[Version.State.DRAFT, Version.State.CONSULTATION]
    ).exists():
        raise ValidationError(
            _("A revision of this document is in progress; delete it before abolishing.")
        )
    changed = audited_update(
        actor=actor, instance=version, changes={"state": Version.State.ABOLISHED}
    )
    search_index.version_put(version)
    return changed


@transaction.atomic
def version_delete(*, actor, version: Version) -> None:
    if version.state != Version.State.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    section_ids = list(version.sections.values_list("pk", flat=True))
    audited_delete(actor=actor, instance=version)
    search_index.version_remove(section_ids)


# --- sections ------------------------------------------------------------------------------


def _base_section(section: Section) -> Section | None:
    base = section.version.based_on
    if base is None:
        return None
    return base.sections.filter(lineage=section.lineage).first()


def _change_against_base(section: Section) -> str:
    base = _base_section(section)
    if section.version.based_on_id is None:
        return Section.Change.UNCHANGED
    if base is None:
        return Section.Change.ADDED
    same = (base.heading, base.body, base.kind) == (section.heading, section.body, section.kind)
    return Section.Change.UNCHANGED if same else Section.Change.REVISED


def _renumber(version: Version, parent: Section | None) -> None:
    """Recompute order and path of ``parent``'s children (and their descendants)."""
    children = list(version.sections.filter(parent=parent).order_by("order", "id"))
    for position, child in enumerate(children, start=1):
        path = _path(parent, position)
        if (child.order, child.path) != (position, path):
            child.order, child.path = position, path
            child.save(update_fields=["order", "path"])
            _renumber(version, child)


@transaction.atomic
@creates_once
def section_create(
    *,
    actor,
    version: Version,
    heading: str,
    body: str = "",
    kind: str = "free",
    parent: Section | None = None,
    after: Section | None = None,
) -> Section:
    _require_editable(version)
    if parent is not None and parent.version_id != version.pk:
        raise ValidationError(_("The parent section belongs to another version."))
    siblings = version.sections.filter(parent=parent)
    order = (after.order + 1) if after else (siblings.aggregate(n=Max("order"))["n"] or 0) + 1
    siblings.filter(order__gte=order).update(order=F("order") + 1)
    section = Section(
        version=version,
        parent=parent,
        order=order,
        depth=(parent.depth + 1) if parent else 0,
        path=_path(parent, order),
        heading=heading,
        body=body,
        kind=kind,
        change=Section.Change.UNCHANGED if version.based_on_id is None else "added",
        updated_by=actor,
    )
    audited_create(actor=actor, instance=section)
    _renumber(version, parent)
    search_index.section_put(section, version)
    return section


@transaction.atomic
def section_update(
    *,
    actor,
    section: Section,
    expected_revision: int,
    heading: str | None = None,
    body: str | None = None,
    kind: str | None = None,
    summary: str = "",
) -> bool:
    """Save an edit made from ``expected_revision``. If someone saved the section in the
    meantime, raise EditConflict (nothing is saved; the caller keeps the user's text)."""
    current = (
        Section.objects.select_for_update(of=("self",))
        .select_related("version__based_on")
        .get(pk=section.pk)
    )
    _require_editable(current.version)
    if current.revision != expected_revision:
        raise EditConflict(current)
    changes = {}
    for name, value in (("heading", heading), ("body", body), ("kind", kind)):
        if value is not None and getattr(current, name) != value:
            changes[name] = value
    if not changes:
        return False
    for name, value in changes.items():
        setattr(current, name, value)
    changes["change"] = _change_against_base(current)
    changes["revision"] = current.revision + 1
    changes["updated_by"] = actor
    changes["updated_at"] = timezone.now()
    current.refresh_from_db()
    changed = audited_update(actor=actor, instance=current, changes=changes, summary=summary)
    search_index.section_put(current)
    return changed


@transaction.atomic
def section_remove(*, actor, section: Section) -> None:
    """In a revision, a section that exists in the version it revises is kept and marked
    削除 (so the revision shows what it removes); a section added in this draft is deleted."""
    _require_editable(section.version)
    subtree = list(section.version.sections.filter(path__startswith=section.path))
    if _base_section(section) is None:
        parent = section.parent
        audited_delete(actor=actor, instance=section)
        _renumber(section.version, parent)
        search_index.version_remove([node.pk for node in subtree])
        return
    for node in subtree:
        audited_update(actor=actor, instance=node, changes={"change": Section.Change.REMOVED})
        search_index.section_remove(node.pk)


@transaction.atomic
def section_restore(*, actor, section: Section) -> bool:
    _require_editable(section.version)
    if section.change != Section.Change.REMOVED:
        return False
    for node in section.version.sections.filter(path__startswith=section.path):
        audited_update(actor=actor, instance=node, changes={"change": _change_against_base(node)})
        search_index.section_put(node)
    return True


@transaction.atomic
def section_move(*, actor, section: Section, direction: int) -> bool:
    _require_editable(section.version)
    siblings = list(section.version.sections.filter(parent=section.parent_id).order_by("order"))
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return False
    a, b = siblings[index], siblings[other]
    a.order, b.order = b.order, a.order
    a.save(update_fields=["order"])
    b.save(update_fields=["order"])
    _renumber(section.version, section.parent)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=section,
        summary=_("Section moved"),
        after={"order": a.order},
    )
    return True


# --- comments and endorsements --------------------------------------------------------------


def _require_consultation(version: Version) -> None:
    if version.state != Version.State.CONSULTATION:
        raise ValidationError(
            _("Comments are accepted only while a version is open for comments (協議中).")
        )


@transaction.atomic
@creates_once
def comment_add(*, actor, section: Section, body: str, parent: Comment | None = None) -> Comment:
    _require_consultation(section.version)
    if section.version.comment_deadline and section.version.comment_deadline < timezone.localdate():
        raise ValidationError(_("The comment period ended on %(date)s.") % {
            "date": wareki_date(section.version.comment_deadline)
        })  # fmt: skip
    if parent is not None and parent.section_id != section.pk:
        raise ValidationError(_("A reply must be on the same section."))
    return audited_create(
        actor=actor, instance=Comment(section=section, author=actor, body=body, parent=parent)
    )


ANSWERED = "documents.answered"  # notification kind (registered in panels.py)


def _check_answer(resolution: str, note: str) -> None:
    if resolution == Comment.Resolution.OPEN or resolution not in Comment.Resolution.values:
        raise ValidationError({"resolution": _("Choose a response.")})
    if resolution == Comment.Resolution.DECLINED and not note.strip():
        raise ValidationError({"resolution_note": _("Give the reason when it is not adopted.")})


def _tell_answered(*, actor, person, version: Version, what: str, resolution: str, note: str,
                   link: str, target) -> None:  # fmt: skip
    """Tell the author of a comment or an objection how the secretariat answered it."""
    label = dict(Comment.Resolution.choices)[resolution]

    def message() -> Message:
        return Message(
            subject=_("Your %(what)s on %(version)s was answered: %(answer)s")
            % {"what": what, "version": version, "answer": label},
            text=(
                _("The secretariat answered your %(what)s on %(version)s: %(answer)s.")
                % {"what": what, "version": version, "answer": label}
            )
            + (f"\n{note}" if note else ""),
        )

    if person is not None and person != actor:
        notify(actor=actor, recipients=[person], kind=ANSWERED, message=message, link=link,
               target=target)  # fmt: skip


@transaction.atomic
def comment_answer(*, actor, comment: Comment, resolution: str, note: str = "") -> bool:
    _check_answer(resolution, note)
    changed = audited_update(
        actor=actor,
        instance=comment,
        changes={"resolution": resolution, "resolution_note": note, "resolved_by": actor},
    )
    if changed:
        from django.urls import reverse

        _tell_answered(
            actor=actor,
            person=comment.author,
            version=comment.section.version,
            what=gettext_lazy("comment"),
            resolution=resolution,
            note=note,
            link=reverse("documents:section_comments", args=[comment.section_id])
            + f"#comment-{comment.pk}",
            target=comment,
        )
    return changed


@transaction.atomic
def endorsement_set(
    *, actor, version: Version, stance: str, note: str = "", section: Section | None = None
) -> Endorsement:
    """The person's position on the version, or on one of its sections. Changing an
    objection (or objecting again) makes it wait for a new answer."""
    _require_consultation(version)
    if stance not in Endorsement.Stance.values:
        raise ValidationError({"stance": _("Choose 賛同 or 異議.")})
    if section is not None and section.version_id != version.pk:
        raise ValidationError({"section": _("The section belongs to another version.")})
    if stance == Endorsement.Stance.OBJECT and not note.strip():
        raise ValidationError({"note": _("Say what you object to.")})
    existing = version.endorsements.filter(person=actor, section=section).first()
    fresh = {"resolution": Comment.Resolution.OPEN, "resolution_note": "", "resolved_by": None}
    if existing:
        changes = {"stance": stance, "note": note}
        if (stance, note) != (existing.stance, existing.note):
            changes.update(fresh)
        audited_update(actor=actor, instance=existing, changes=changes)
        return existing
    return audited_create(
        actor=actor,
        instance=Endorsement(
            version=version, section=section, person=actor, stance=stance, note=note
        ),
    )


@transaction.atomic
def objection_answer(*, actor, objection: Endorsement, resolution: str, note: str = "") -> bool:
    """The secretariat's answer to an objection (異議), as to a comment: 反映 / 対応済 / 不採用
    with a reason. The objector is told and sees it on the version page."""
    if objection.stance != Endorsement.Stance.OBJECT:
        raise ValidationError(_("Only an objection is answered; an endorsement needs no answer."))
    _check_answer(resolution, note)
    changed = audited_update(
        actor=actor,
        instance=objection,
        changes={"resolution": resolution, "resolution_note": note, "resolved_by": actor},
    )
    if changed:
        from django.urls import reverse

        _tell_answered(
            actor=actor,
            person=objection.person,
            version=objection.version,
            what=gettext_lazy("objection"),
            resolution=resolution,
            note=note,
            link=reverse("documents:version", args=[objection.version_id]) + "#sharing",
            target=objection,
        )
    return changed


# --- terminology --------------------------------------------------------------------------------


def _terms_summary(matched: list[str], preferred: str) -> str:
    unique = list(dict.fromkeys(matched))
    return _("用語の統一: 「%(old)s」→「%(new)s」") % {"old": "」「".join(unique), "new": preferred}


@transaction.atomic
def terms_replace_all(*, actor, version: Version, term: GlossaryTerm) -> ReplacementPlan:
    """Replace every occurrence of ``term``'s variants in the draft ``version`` — except
    those inside a longer word — as one audited edit per section, all or nothing: if someone
    saved one of the sections since the check, EditConflict is raised and nothing is
    replaced."""
    _require_editable(version)
    plan = replacement_plan(version, term)
    sections = version.sections.in_bulk(list(plan.by_section))
    for section_id, found in plan.by_section.items():
        section = sections[section_id]
        section_update(
            actor=actor,
            section=section,
            expected_revision=section.revision,
            body=replace_all(section.body, found, term.preferred),
            summary=_terms_summary([o.matched for o in found], term.preferred),
        )
    return plan


# --- glossary and revision plan ---------------------------------------------------------------


@transaction.atomic
@creates_once
def term_create(*, actor, **fields) -> GlossaryTerm:
    return audited_create(actor=actor, instance=GlossaryTerm(**fields))


@transaction.atomic
def term_update(*, actor, term: GlossaryTerm, **changes) -> bool:
    return audited_update(actor=actor, instance=term, changes=changes)


@transaction.atomic
def term_delete(*, actor, term: GlossaryTerm) -> None:
    audited_delete(actor=actor, instance=term)


@transaction.atomic
@creates_once
def step_create(*, actor, document: Document, title: str, **fields) -> RevisionStep:
    order = (document.plan.aggregate(n=Max("order"))["n"] or 0) + 1
    return audited_create(
        actor=actor,
        instance=RevisionStep(document=document, title=title, order=order, **fields),
    )


@transaction.atomic
def step_update(*, actor, step: RevisionStep, **changes) -> bool:
    return audited_update(actor=actor, instance=step, changes=changes)


@transaction.atomic
def step_delete(*, actor, step: RevisionStep) -> None:
    audited_delete(actor=actor, instance=step)
