"""Rate limits of the deliberation app, per person and per public visitor (address), through
core.ratelimit: (limit, window in seconds) per kind of write."""

from kyokan.apps.core import ratelimit
from kyokan.apps.core.clientip import client_address

LIMITS = {
    "public_idea": (5, 3600),  # citizens' ideas per address and hour
    "public_report": (10, 3600),
    # citizens in public conversations, per address and hour: votes, statements, and new
    # participants (a browser without the cookie: this bounds one person's many "browsers")
    "public_vote": (300, 3600),
    "public_statement": (5, 3600),
    "public_participant": (30, 3600),
    # looking up the similar ideas of what is being written (htmx, or the citizens' button
    # 「似た提案を確認する」): per person or address and hour; it creates nothing
    "similar": (600, 3600),
    "idea": (20, 3600),  # per person
    "comment": (60, 3600),
    "report": (30, 3600),
    "statement": (20, 3600),
    "vote": (600, 3600),
}


def allow(request, what: str) -> bool:
    """Count one ``what`` of this person (or, signed out, of this address); False when it
    is over the limit."""
    limit, window = LIMITS[what]
    user = getattr(request, "user", None)
    ident = (
        f"user:{user.pk}"
        if user is not None and user.is_authenticated
        else (f"addr:{client_address(request)}")
    )
    return ratelimit.hit(f"deliberation-{what}", ident, limit=limit, window=window)
