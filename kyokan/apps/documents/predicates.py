import rules


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and comment.author_id == user.pk
