"""Citizens in public conversations, without an account: one browser, one participant.

The browser keeps a random token (32 bytes) in a signed, HTTP-only cookie, given on its first
vote or statement; the database keeps only the token's SHA-256 (``Participant.visitor``), so
the token cannot be read back from the database and nothing stored names the person, their
address or their browser. A visitor who deletes the cookie becomes a new participant: the
number of new participants per address is rate-limited (see limits.py).
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

COOKIE = "kyokan_conversation_visitor"
SALT = "kyokan.deliberation.visitor"
COOKIE_AGE = 365 * 24 * 3600
TOKEN_BYTES = 32


def token_of(request) -> str:
    """The browser's token from its signed cookie, or "" (no cookie, or one not signed by
    this server)."""
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=COOKIE_AGE)
    except signing.BadSignature:
        return ""
    if not value or len(value) > 100:
        return ""
    return value


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def key_of(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(f"visitor|{token}".encode()).hexdigest() if token else ""


def remember(response, request, token: str) -> None:
    """Give the browser its token (a signed cookie for a year, HTTP-only, same-site)."""
    response.set_signed_cookie(
        COOKIE,
        token,
        salt=SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
