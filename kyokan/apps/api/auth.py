"""Token authentication of the API's write endpoints (``Authorization: Bearer <token>``)."""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiAccount
from .services import TOKEN_PREFIX, token_hash

TOKEN_MAX_LENGTH = 200
# last_used_at is bookkeeping (not an audited change): written at most once a minute.
_TOUCH_EVERY = timedelta(minutes=1)


def account_for_token(token: str) -> ApiAccount | None:
    """The active account whose token this is, or None."""
    token = (token or "").strip()
    if not token.startswith(TOKEN_PREFIX) or len(token) > TOKEN_MAX_LENGTH:
        return None
    digest = token_hash(token)
    account = (
        ApiAccount.objects.select_related("department", "user")
        .filter(token_prefix=token[:12], revoked_at__isnull=True)
        .filter(token_hash=digest)
        .first()
    )
    if account is None or not hmac.compare_digest(account.token_hash, digest):
        return None
    now = timezone.now()
    if account.last_used_at is None or now - account.last_used_at > _TOUCH_EVERY:
        ApiAccount.objects.filter(pk=account.pk).update(last_used_at=now)
    return account


class TokenAuth(HttpBearer):
    """The account is on ``request.auth``; its person record acts in the services."""

    def authenticate(self, request, token):
        return account_for_token(token)


token_auth = TokenAuth()
