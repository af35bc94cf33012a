"""What the deliberation views share: object loaders for permission checks."""

from django.shortcuts import get_object_or_404

from ..models import Comment, Conversation, Idea, IdeaAttachment, IdeaSession, Statement


def idea_obj(pk: int, **_kwargs) -> Idea:
    return get_object_or_404(
        Idea.objects.select_related("author", "department", "bureau", "initiative", "pillar"),
        pk=pk,
    )


def comment_obj(pk: int, **_kwargs) -> Comment:
    return get_object_or_404(Comment.objects.select_related("idea"), pk=pk)


def comment_idea(pk: int, **_kwargs) -> Idea:
    return comment_obj(pk).idea


def attachment_obj(pk: int, **_kwargs) -> IdeaAttachment:
    return get_object_or_404(IdeaAttachment.objects.select_related("idea"), pk=pk)


def attachment_idea(pk: int, **_kwargs) -> Idea:
    return attachment_obj(pk).idea


def session_obj(pk: int, **_kwargs) -> IdeaSession:
    return get_object_or_404(IdeaSession.objects.select_related("idea"), pk=pk)


def conversation_obj(pk: int, **_kwargs) -> Conversation:
    return get_object_or_404(Conversation, pk=pk)


def statement_obj(pk: int, **_kwargs) -> Statement:
    return get_object_or_404(Statement.objects.select_related("conversation"), pk=pk)


def statement_conversation(pk: int, **_kwargs) -> Conversation:
    return statement_obj(pk).conversation
