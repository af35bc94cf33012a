import rules


@rules.predicate
def is_invited(user, meeting) -> bool:
    if meeting is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_kyokan_invited", {})
    if meeting.pk not in cache:
        cache[meeting.pk] = meeting.invitations.filter(person=user).exists()
    return cache[meeting.pk]


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


@rules.predicate
def is_own_invitation(user, invitation) -> bool:
    return invitation is not None and invitation.person_id == user.pk
