"""The system administrator's pages for the API's system accounts: the token is shown
once, stored only as its hash, revocable, and every step is audited."""

import hashlib

import pytest
from django.urls import reverse

from kyokan.apps.api.models import ApiAccount
from kyokan.apps.core.models import AuditEvent
from tests.conftest import ALL_VIEWERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("viewer", ALL_VIEWERS)
def test_only_the_system_administrator_manages_accounts(client_as, people, viewer):
    response = client_as(viewer).get(reverse("api:accounts"))
    if viewer == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if viewer == "sysadmin" else 403)
    user = people.get(viewer)
    assert bool(user and user.has_perm("api.manage_accounts")) == (viewer == "sysadmin")


def test_create_shows_the_token_once_and_stores_its_hash(client_as, bureau):
    client = client_as("sysadmin")
    response = client.post(reverse("api:account_create"), {
        "name": "予算編成システム", "description": "予算の連携", "department": bureau.pk,
        "scopes": ["initiatives", "kpi_actuals"],
    })  # fmt: skip
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    account = ApiAccount.objects.get()
    token = page.split('id="api-token" class="input" type="text" readonly value="')[1].split('"')[0]
    assert token.startswith("kyk_") and len(token) > 40
    assert account.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiAccount.objects.values()))
    assert not account.user.is_active and not account.user.has_usable_password()
    events = AuditEvent.objects.filter(target_type="api.apiaccount")
    assert events.count() == 1 and token not in str(events.get().after)
    listing = client.get(reverse("api:accounts")).content.decode()
    assert "予算編成システム" in listing and token not in listing
    assert account.token_prefix in listing
    # Its person record is not listed among the city's people (inactive ones included).
    for active in ("1", "0", "all"):
        people_page = client.get(reverse("core:people"), {"active": active}).content.decode()
        assert "API: 予算編成システム" not in people_page


def test_form_errors_keep_what_was_typed(client_as, bureau):
    client = client_as("sysadmin")
    response = client.post(
        reverse("api:account_create"),
        {"name": "連携", "description": "説明の文", "department": bureau.pk, "scopes": ["x"]},
    )
    assert response.status_code == 200 and ApiAccount.objects.count() == 0
    assert "説明の文" in response.content.decode()


def test_revoke_and_rotate(client_as, account, api_client):
    acct, token = account
    client = client_as("sysadmin")
    page = client.post(reverse("api:account_rotate", args=[acct.pk])).content.decode()
    new_token = page.split('readonly value="')[1].split('"')[0]
    assert new_token != token
    assert api_client.call("PUT", "/api/v1/kpis/1/actuals", token=token, json={}).status_code == 401
    assert api_client.call("PUT", "/api/v1/kpis/1/actuals", token=new_token,
                           json={}).status_code == 422  # fmt: skip
    client = client_as("sysadmin")
    assert client.get(reverse("api:account_revoke", args=[acct.pk])).status_code == 200
    client.post(reverse("api:account_revoke", args=[acct.pk]))
    acct.refresh_from_db()
    assert acct.revoked_at is not None
    assert api_client.call("PUT", "/api/v1/kpis/1/actuals", token=new_token,
                           json={}).status_code == 401  # fmt: skip
    summaries = list(
        AuditEvent.objects.filter(target_type="api.apiaccount").values_list("summary", flat=True)
    )
    assert any("replaced" in s for s in summaries) and any("revoked" in s for s in summaries)
    assert (
        client_as("sysadmin").post(reverse("api:account_rotate", args=[acct.pk])).status_code == 404
    )
