"""Who may do what with an idea or a conversation."""

import rules

from .models import Conversation, IdeaStatus, Visibility


@rules.predicate
def is_idea_author(user, idea) -> bool:
    return idea is not None and idea.author_id is not None and idea.author_id == user.pk


@rules.predicate
def idea_is_open_for_edits(user, idea) -> bool:
    return idea is not None and idea.status == IdeaStatus.PROPOSED


@rules.predicate
def idea_is_visible(user, idea) -> bool:
    return idea is not None and idea.visibility == Visibility.VISIBLE


@rules.predicate
def conversation_is_open(user, conversation) -> bool:
    return conversation is not None and conversation.state == Conversation.State.OPEN


@rules.predicate
def conversation_is_not_draft(user, conversation) -> bool:
    return conversation is not None and conversation.state != Conversation.State.DRAFT
