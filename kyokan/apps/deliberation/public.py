"""What citizens may see of the deliberation app, for the public portal: the ideas the
secretariat marked public (and not hidden by moderation), with the secretariat's answers.
The portal reads through these selectors only."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Comment, Idea, IdeaStatus, Visibility


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
