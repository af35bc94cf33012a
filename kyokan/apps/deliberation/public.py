"""What citizens may see of the deliberation app, for the public portal: the ideas the
secretariat marked public (and not hidden by moderation), with the secretariat's answers,
and the conversations open to the public (their visible statements only; their results when
the secretariat published them). The portal reads through these selectors only."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import (
    Comment,
    ConsensusRun,
    Conversation,
    Idea,
    IdeaStatus,
    Participant,
    Statement,
    Visibility,
)


def public_ideas(*, status: str = "") -> QuerySet[Idea]:
    qs = Idea.objects.filter(is_public=True, visibility=Visibility.VISIBLE)
    if status in IdeaStatus.values:
        qs = qs.filter(status=status)
    return (
        qs.select_related("initiative")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("-created_at", "-id")
    )


def public_idea(pk: int) -> Idea | None:
    """A public idea with its visible official answers (``public_answers``), or None."""
    answers = Comment.objects.filter(is_answer=True, visibility=Visibility.VISIBLE)
    return (
        public_ideas()
        .prefetch_related(Prefetch("comments", queryset=answers, to_attr="public_answers"))
        .filter(pk=pk)
        .first()
    )


def idea_by_token(token: str) -> Idea | None:
    """The idea behind its author's personal link (shown to the author whether or not it is
    public; removed ideas say so)."""
    if not token or len(token) > 64:
        return None
    return Idea.objects.filter(token=token).select_related("initiative").first()


def public_counts() -> dict:
    qs = Idea.objects.filter(is_public=True, visibility=Visibility.VISIBLE)
    return qs.aggregate(
        total=Count("id"), launched=Count("id", filter=Q(status=IdeaStatus.LAUNCHED))
    )


# --- conversations ----------------------------------------------------------------------------


# Participants are counted once they have voted (the secretariat, who wrote the seed
# statements, is not counted until it votes).
VISIBLE_STATEMENTS = Q(visibility=Visibility.VISIBLE)
VOTERS = Q(votes__isnull=False)


def _count(model, condition: Q) -> Coalesce:
    """A per-conversation count as a subquery (two joined counts would multiply the rows:
    statements × participants)."""
    counted = (
        model.objects.filter(condition, conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def public_conversations() -> QuerySet[Conversation]:
    """The conversations citizens can take part in on the portal: public and open, newest
    first, each with ``title``, ``question``, ``public_url``, ``statement_count`` (visible
    statements) and ``participant_count`` (those who voted)."""
    return (
        Conversation.objects.filter(is_public=True, state=Conversation.State.OPEN)
        .annotate(
            statement_count=_count(Statement, VISIBLE_STATEMENTS),
            participant_count=_count(Participant, VOTERS),
        )
        .order_by("-created_at", "-id")
    )


def public_conversation(pk: int) -> Conversation | None:
    """A conversation open to citizens (with ``statement_count`` and ``participant_count``),
    or None (not public, a draft or closed)."""
    return public_conversations().filter(pk=pk).first()


def public_results(conversation: Conversation) -> ConsensusRun | None:
    """The latest finished analysis, when the secretariat published the results."""
    if not conversation.results_public:
        return None
    return (
        conversation.runs.filter(status=ConsensusRun.Status.DONE)
        .order_by("-created_at", "-id")
        .first()
    )
