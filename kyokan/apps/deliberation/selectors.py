"""Reads of the deliberation app, including everything that crosses relations."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from . import similar
from .models import (
    Comment,
    ConsensusRun,
    Conversation,
    Follow,
    Idea,
    IdeaSession,
    IdeaStatus,
    Participant,
    Report,
    Statement,
    Support,
    Visibility,
    Vote,
)

SEARCH_FIELDS = ("problem", "who", "citizen_value", "proposal")


# --- ideas ----------------------------------------------------------------------------------


def visible_ideas(user) -> QuerySet[Idea]:
    """The ideas this person may see: all of them for the secretariat, else the visible
    ones and their own."""
    qs = Idea.objects.all()
    if user.has_perm("deliberation.moderate"):
        return qs
    return qs.filter(Q(visibility=Visibility.VISIBLE) | Q(author_id=user.pk))


def ideas(
    user, *, q: str = "", status: str = "", origin: str = "", bureau=None, mine: bool = False
) -> QuerySet[Idea]:
    qs = visible_ideas(user).select_related("author", "bureau", "initiative")
    if q:
        from kyokan.textanalysis.normalize import fold

        needle = q.strip()
        qs = qs.filter(
            Q(title__icontains=needle)
            | Q(problem__icontains=needle)
            | Q(proposal__icontains=needle)
            | Q(title__icontains=fold(needle))
        )
    if status:
        qs = qs.filter(status=status)
    if origin:
        qs = qs.filter(origin=origin)
    if bureau:
        qs = qs.filter(bureau=bureau)
    if mine:
        qs = qs.filter(author_id=user.pk)
    return qs.annotate(
        support_count=Count("supports", distinct=True),
        comment_count=Count(
            "comments", filter=Q(comments__visibility=Visibility.VISIBLE), distinct=True
        ),
    ).order_by("-created_at", "-id")


def similar_ideas(
    *,
    title: str,
    texts: tuple[str, ...] = (),
    exclude: int | None = None,
    public_only: bool = False,
    limit: int = 5,
) -> list[dict]:
    """The existing ideas most like the one being written (removed and hidden ones left
    out; for citizens, only the public ones): [{"idea", "score"}]."""
    terms = similar.terms_of(title, *texts)
    if not terms and not title.strip():
        return []
    qs = Idea.objects.filter(visibility=Visibility.VISIBLE)
    if public_only:
        qs = qs.filter(is_public=True)
    if exclude:
        qs = qs.exclude(pk=exclude)
    rows = list(qs.values_list("pk", "title", "terms"))
    candidates = [similar.Candidate(pk, t, tuple(terms_ or ())) for pk, t, terms_ in rows]
    ranked = similar.rank(title=title, terms=terms, candidates=candidates, limit=limit)
    by_pk = Idea.objects.select_related("initiative").in_bulk([c.pk for c, _s in ranked])
    return [{"idea": by_pk[c.pk], "score": score} for c, score in ranked if c.pk in by_pk]


def comment_tree(idea: Idea, *, show_hidden: bool) -> list[dict]:
    """The comments as a thread, in one query: [{"comment", "replies": [...]}]. A hidden
    or removed comment keeps its place (its replies stay readable) but not its text,
    except for the secretariat."""
    comments = list(idea.comments.select_related("author").order_by("created_at", "id"))
    nodes = {
        c.pk: {
            "comment": c,
            "shown": show_hidden or c.visibility == Visibility.VISIBLE,
            "depth": 0,
            "replies": [],
        }
        for c in comments
    }
    roots = []
    for c in comments:
        if c.parent_id is None:
            roots.append(nodes[c.pk])
        elif c.parent_id in nodes:
            nodes[c.parent_id]["replies"].append(nodes[c.pk])
    # Depths without recursion (a chain of replies is as long as people make it).
    stack = [(node, 0) for node in roots]
    while stack:
        node, depth = stack.pop()
        node["depth"] = min(depth, 4)
        stack.extend((reply, depth + 1) for reply in node["replies"])
    return roots


def flatten(tree: list[dict]) -> list[dict]:
    """The thread in reading order, without recursion: 2,000 replies each to the last were a
    RecursionError (a server error on the idea's page for everyone)."""
    out = []
    stack = list(reversed(tree))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node["replies"]))
    return out


def idea_detail(idea: Idea, user) -> dict:
    show_hidden = user.has_perm("deliberation.moderate")
    tree = comment_tree(idea, show_hidden=show_hidden)
    return {
        "comments": flatten(tree),
        "comment_count": sum(1 for n in flatten(tree) if n["comment"].visibility == "visible"),
        "support_count": idea.supports.count(),
        "supported": Support.objects.filter(idea=idea, person_id=user.pk).exists(),
        "following": Follow.objects.filter(idea=idea, person_id=user.pk).exists(),
        "sessions": list(
            idea.sessions.select_related("meeting__series").order_by("meeting__starts_at")
        ),
        "history": list(idea.status_changes.select_related("actor")),
        "attachments": list(idea.attachments.all()),
        "conversations": list(idea.conversations.exclude(state=Conversation.State.DRAFT)),
        "open_reports": idea.reports.filter(resolved=False).count() if show_hidden else 0,
    }


def search_entry(idea: Idea, *, url: str | None = None) -> tuple:
    body = "\n".join(str(getattr(idea, f)) for f in SEARCH_FIELDS if getattr(idea, f))
    return idea.pk, idea.title, body, url or idea.get_absolute_url()


def search_entries():
    before, after = reverse("deliberation:idea", args=[0]).rsplit("0", 1)
    fields = ("title", *SEARCH_FIELDS)
    for idea in Idea.objects.only(*fields).iterator(chunk_size=1000):
        yield search_entry(idea, url=f"{before}{idea.pk}{after}")


def search_visible(user, ids: list[str]) -> set[str]:
    pks = [int(i) for i in ids if str(i).isdigit()]
    return {str(pk) for pk in visible_ideas(user).filter(pk__in=pks).values_list("pk", flat=True)}


def contributions() -> list[dict]:
    """Per bureau: how many ideas its staff proposed, by status, and how many became
    initiatives ("departments see their contributions"); citizens' ideas on one row."""
    from kyokan.apps.core.models import Department

    counts: dict = defaultdict(lambda: defaultdict(int))
    for bureau_id, origin, status, n in (
        Idea.objects.exclude(visibility=Visibility.REMOVED)
        .values_list("bureau_id", "origin", "status")
        .annotate(n=Count("id"))
    ):
        key = "citizen" if origin == "citizen" else bureau_id
        counts[key][status] += n
        counts[key]["total"] += n
    bureaus = Department.objects.in_bulk([k for k in counts if isinstance(k, int)])
    rows = []
    for key, by_status in counts.items():
        name = bureaus[key].name if isinstance(key, int) and key in bureaus else None
        rows.append(
            {
                "bureau": bureaus.get(key) if isinstance(key, int) else None,
                "name": name,
                "citizen": key == "citizen",
                "total": by_status["total"],
                "statuses": [(s, by_status[s]) for s in IdeaStatus.values],
            }
        )
    rows.sort(key=lambda r: (r["citizen"], -r["total"], r["name"] or ""))
    return rows


def launched_ideas(limit: int = 6) -> QuerySet[Idea]:
    return (
        Idea.objects.filter(status=IdeaStatus.LAUNCHED, initiative__isnull=False)
        .select_related("initiative", "bureau")
        .order_by("-updated_at", "-id")[:limit]
    )


def status_counts() -> list[tuple[str, str, int]]:
    counts = dict(
        Idea.objects.exclude(visibility=Visibility.REMOVED)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [(value, label, counts.get(value, 0)) for value, label in IdeaStatus.choices]


def ideas_to_decide() -> QuerySet[Idea]:
    return Idea.objects.filter(
        status__in=[IdeaStatus.PROPOSED, IdeaStatus.REVIEWING, IdeaStatus.ADOPTED],
        visibility=Visibility.VISIBLE,
    ).order_by("created_at", "id")


def my_ideas(user) -> QuerySet[Idea]:
    return Idea.objects.filter(author_id=user.pk).select_related("initiative")


def sessions_ahead(user, *, today) -> QuerySet[IdeaSession]:
    """Ideas to be discussed at meetings ahead that the person is invited to: dated ones
    from today on (by date), then those whose date is still being set (a date poll)."""
    return (
        IdeaSession.objects.filter(meeting__invitations__person_id=user.pk)
        .filter(
            Q(meeting__starts_at__date__gte=today)
            | Q(meeting__starts_at__isnull=True, meeting__status="planning")
        )
        .exclude(meeting__status__in=["cancelled", "held"])
        .select_related("idea", "meeting__series")
        .order_by(F("meeting__starts_at").asc(nulls_last=True), "id")
        .distinct()
    )


# --- moderation -------------------------------------------------------------------------------


def moderation_queue() -> dict:
    """What waits for the secretariat: hidden ideas, comments and statements, and pending
    statements, each with its open reports counted."""
    open_reports = Count("reports", filter=Q(reports__resolved=False))
    waiting = [Visibility.HIDDEN, Visibility.PENDING]
    return {
        "ideas": list(
            Idea.objects.filter(visibility__in=waiting).annotate(n=open_reports).order_by("id")
        ),
        "comments": list(
            Comment.objects.filter(visibility__in=waiting)
            .select_related("idea", "author")
            .annotate(n=open_reports)
            .order_by("id")
        ),
        "statements": list(
            Statement.objects.filter(visibility__in=waiting)
            .select_related("conversation")
            .annotate(n=open_reports)
            .order_by("conversation_id", "number")
        ),
        "reported": Report.objects.filter(resolved=False).count(),
    }


def moderation_count() -> int:
    waiting = [Visibility.HIDDEN, Visibility.PENDING]
    return (
        Idea.objects.filter(visibility__in=waiting).count()
        + Comment.objects.filter(visibility__in=waiting).count()
        + Statement.objects.filter(visibility__in=waiting).count()
    )


# --- conversations ----------------------------------------------------------------------------


# Participants are counted once they have voted (the secretariat, who wrote the seed
# statements, is not counted until it votes).
VISIBLE_STATEMENTS = Q(visibility=Visibility.VISIBLE)
VOTERS = Q(Exists(Vote.objects.filter(participant=OuterRef("pk"))))


def per_conversation(model, condition: Q | None = None, *, via: str = "conversation"):
    """A count per conversation as a subquery (``via``: the path from ``model`` to the
    conversation). Counting two or more relations through joins in one query multiplies
    their rows (statements × participants × votes); a subquery each counts each alone, and
    the list stays one query however much data there is."""
    rows = model.objects.filter(**{via: OuterRef("pk")})
    if condition is not None:
        rows = rows.filter(condition)
    counted = rows.order_by().values(via).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def conversations(user) -> QuerySet[Conversation]:
    """The conversations this person may see (drafts for the secretariat only), newest
    first, with ``statement_count`` (visible statements), ``participant_count`` (those who
    voted) and ``vote_count``."""
    qs = Conversation.objects.all()
    if not user.has_perm("deliberation.manage_conversations"):
        qs = qs.exclude(state=Conversation.State.DRAFT)
    return qs.annotate(
        statement_count=per_conversation(Statement, VISIBLE_STATEMENTS),
        participant_count=per_conversation(Participant, VOTERS),
        vote_count=per_conversation(Vote, via="statement__conversation"),
    ).order_by("-created_at", "-id")


def participant_of(user, conversation: Conversation) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(conversation=conversation, person=user).first()


def visitor_participant(conversation: Conversation, visitor: str) -> Participant | None:
    """The participant of a citizen's browser (``visitor``: its token's hash), if it has
    voted or written in this conversation."""
    if not visitor:
        return None
    return Participant.objects.filter(conversation=conversation, visitor=visitor).first()


def last_vote(participant: Participant | None) -> Vote | None:
    """The participant's latest vote on a statement still shown (to change it)."""
    if participant is None:
        return None
    return (
        participant.votes.filter(statement__visibility=Visibility.VISIBLE)
        .select_related("statement")
        .order_by("-voted_at", "-id")
        .first()
    )


def next_statement(conversation: Conversation, participant: Participant | None):
    """The next statement for this participant: a visible one they have not voted on,
    those with the fewest votes first (so every statement gets seen), then the oldest."""
    qs = conversation.statements.filter(visibility=Visibility.VISIBLE)
    if participant is not None:
        qs = qs.exclude(
            Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))
        )
    return qs.annotate(seen=Count("votes")).order_by("seen", "number").first()


def conversation_progress(conversation: Conversation, participant: Participant | None) -> dict:
    total = conversation.statements.filter(visibility=Visibility.VISIBLE).count()
    voted = participant.votes.count() if participant is not None else 0
    return {"total": total, "voted": min(voted, total), "left": max(total - voted, 0)}


def conversation_counts(conversation: Conversation) -> dict:
    """The conversation's figures as the list counts them (participants: those who voted)."""
    return {
        "participants": conversation.participants.filter(VOTERS).count(),
        "statements": conversation.statements.filter(visibility=Visibility.VISIBLE).count(),
        "pending": conversation.statements.filter(visibility=Visibility.PENDING).count(),
        "votes": Vote.objects.filter(statement__conversation=conversation).count(),
    }


def vote_triples(conversation: Conversation) -> list[tuple[str, str, int, float]]:
    """(participant number, statement number, vote, timestamp) of every vote of the
    conversation, hidden statements included, ids as strings for the library. The library
    keeps the votes on hidden statements in each participant's count and admits a
    participant from the moment they reached the threshold (Polis's method): pass
    :func:`hidden_statement_numbers` as ``hidden=``."""
    return [
        (str(p), str(s), v, at.timestamp())
        for p, s, v, at in Vote.objects.filter(statement__conversation=conversation)
        .order_by("voted_at", "id")
        .values_list("participant__number", "statement__number", "value", "voted_at")
    ]


def hidden_statement_numbers(conversation: Conversation) -> set[str]:
    """The statements not shown to participants (pending, hidden, removed), as the
    library's ids: their votes count for the grouping threshold, not in the analysis."""
    return {
        str(n)
        for n in conversation.statements.exclude(visibility=Visibility.VISIBLE).values_list(
            "number", flat=True
        )
    }


def latest_run(conversation: Conversation) -> ConsensusRun | None:
    return conversation.runs.order_by("-created_at", "-id").first()


def latest_done_run(conversation: Conversation) -> ConsensusRun | None:
    return (
        conversation.runs.filter(status=ConsensusRun.Status.DONE)
        .order_by("-created_at", "-id")
        .first()
    )


def latest_result(conversation: Conversation, *, before: ConsensusRun | None = None):
    qs = conversation.runs.filter(status=ConsensusRun.Status.DONE)
    if before is not None:
        qs = qs.exclude(pk=before.pk).filter(created_at__lte=before.created_at)
    run = qs.order_by("-created_at", "-id").first()
    return run.result if run is not None else None


def my_open_conversations(user, limit: int = 50) -> list[tuple[Conversation, int]]:
    """Open conversations with statements this person has not voted on, and how many (one
    query, however many conversations there are)."""
    qs = (
        Conversation.objects.filter(state=Conversation.State.OPEN)
        .annotate(
            total=per_conversation(Statement, VISIBLE_STATEMENTS),
            voted=per_conversation(
                Vote,
                Q(participant__person_id=user.pk, statement__visibility=Visibility.VISIBLE),
                via="statement__conversation",
            ),
        )
        .order_by("-created_at", "-id")
    )
    return [(c, c.total - c.voted) for c in qs[:limit] if c.total > c.voted]
