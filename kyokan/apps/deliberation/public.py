"""What citizens may see of the deliberation app, for the public portal: the ideas the
secretariat marked public (and not hidden by moderation), with the secretariat's answers,
and the conversations open to the public (their visible statements only; their results when
the secretariat published them, also once the conversation has ended). The portal reads
through these selectors only."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

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
from .selectors import VISIBLE_STATEMENTS, VOTERS, per_conversation


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


def public_conversations(*, include_closed: bool = False) -> QuerySet[Conversation]:
    """The conversations citizens can take part in on the portal: public and open, newest
    first, each with ``title``, ``question``, ``public_url``, ``statement_count`` (visible
    statements) and ``participant_count`` (those who voted). ``include_closed`` adds the
    public conversations that have ended and whose results the secretariat published
    (after the open ones; their ``state`` is ``closed``)."""
    readable = Q(state=Conversation.State.OPEN)
    if include_closed:
        readable |= Q(state=Conversation.State.CLOSED, results_public=True)
    return (
        Conversation.objects.filter(readable, is_public=True)
        .annotate(
            statement_count=per_conversation(Statement, VISIBLE_STATEMENTS),
            participant_count=per_conversation(Participant, VOTERS),
            ended=Case(
                When(state=Conversation.State.CLOSED, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("ended", "-created_at", "-id")
    )


def public_conversation(pk: int) -> Conversation | None:
    """A conversation citizens may read (with ``statement_count``, ``participant_count``
    and ``ended``): public and open, or public, ended and with its results published — or
    None (not public, a draft, or ended without published results)."""
    return public_conversations(include_closed=True).filter(pk=pk).first()


def public_results(conversation: Conversation) -> ConsensusRun | None:
    """The latest finished analysis, when the secretariat published the results."""
    if not conversation.results_public:
        return None
    return (
        conversation.runs.filter(status=ConsensusRun.Status.DONE)
        .order_by("-created_at", "-id")
        .first()
    )
