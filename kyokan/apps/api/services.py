"""Writes of the api app: system accounts and their tokens. Keyword-only, atomic, audited.

The token itself is never stored nor written to the audit trail: only its SHA-256, and its
first characters (to tell tokens apart in the list).
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from kyokan.apps.core import services as core_services
from kyokan.apps.core.audit import audit_record, audited_create, audited_update
from kyokan.apps.core.models import AuditEvent

from .models import ApiAccount

TOKEN_PREFIX = "kyk_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def account_create(
    *, actor, name: str, department, scopes: list[str], description: str = ""
) -> tuple[ApiAccount, str]:
    """A new system account and its token (returned once, never stored)."""
    user = core_services.user_create(
        actor=actor,
        username=f"api-{secrets.token_hex(6)}",
        full_name=f"API: {name}"[:80],
        affiliation=str(department)[:120],
        is_active=False,  # it acts through its token only; it can never log in
    )
    token = _new_token()
    account = audited_create(
        actor=actor,
        instance=ApiAccount(
            name=name,
            description=description,
            department=department,
            scopes=sorted(set(scopes)),
            user=user,
            token_prefix=token[:12],
            token_hash=token_hash(token),
            created_by=actor,
        ),
        summary="API system account created (token issued, not recorded)",
    )
    return account, token


@transaction.atomic
def account_update(
    *, actor, account: ApiAccount, scopes: list[str] | None = None, description: str | None = None
) -> bool:
    changes = {}
    if scopes is not None:
        changes["scopes"] = sorted(set(scopes))
    if description is not None:
        changes["description"] = description
    return audited_update(actor=actor, instance=account, changes=changes)


@transaction.atomic
def account_revoke(*, actor, account: ApiAccount) -> bool:
    """Revoke the token for good (a new account is made for a new token)."""
    if account.revoked_at is not None:
        return False
    return audited_update(
        actor=actor,
        instance=account,
        changes={"revoked_at": timezone.now()},
        summary="API token revoked",
    )


@transaction.atomic
def account_token_rotate(*, actor, account: ApiAccount) -> str:
    """Replace the account's token by a new one (shown once); the old one stops working."""
    token = _new_token()
    ApiAccount.objects.filter(pk=account.pk).update(
        token_prefix=token[:12], token_hash=token_hash(token)
    )
    account.token_prefix, account.token_hash = token[:12], token_hash(token)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=account,
        summary="API token replaced (new token issued, not recorded)",
        after={"token_prefix": token[:12]},
    )
    return token
