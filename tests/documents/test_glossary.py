"""The glossary: who sees and edits it, the search that ignores width, case and kana, the
checks that keep a spelling from being claimed twice, and the CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import services
from kyokan.apps.documents.models import GlossaryTerm

CITY_STAFF = [
    Role.SECRETARIAT,
    Role.HQ_CHIEF,
    Role.HQ_DEPUTY,
    Role.HQ_MEMBER,
    Role.PROMOTER,
    Role.STAFF,
    Role.SYSADMIN,
]
NOT_EDITORS = [r for r in CITY_STAFF if r != Role.SECRETARIAT]


@pytest.fixture
def digital(sysadmin):
    return services.term_create(
        actor=sysadmin,
        preferred="デジタル化",
        reading="でじたるか",
        definition="デジタル技術を活用して業務やサービスを変革すること。",
        variants="情報化\nICT化",
    )


@pytest.fixture
def dx(sysadmin):
    return services.term_create(
        actor=sysadmin, preferred="DX", reading="でぃーえっくす", variants="デジタル変革"
    )


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _data(**change):
    return {
        "preferred": "オープンデータ",
        "reading": "おーぷんでーた",
        "definition": "機械判読に適した形式で公開されたデータ。",
        "variants": "公開データ\n開放データ",
        "notes": "",
        **change,
    }


# --- who may see and edit ---------------------------------------------------------------------


@pytest.mark.parametrize("role", CITY_STAFF)
def test_city_staff_see_the_glossary(role, client_as, digital):
    response = client_as(role).get(reverse("documents:glossary"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "デジタル化" in body and "ICT化" in body and "でじたるか" in body
    edit_url = reverse("documents:term_edit", args=[digital.pk])
    assert (edit_url in body) == (role == Role.SECRETARIAT)


@pytest.mark.parametrize("role", [Role.EXPERT, Role.CITIZEN])
def test_experts_and_citizens_may_not_see_the_glossary(role, client_as, digital):
    client = client_as(role)
    assert client.get(reverse("documents:glossary")).status_code == 403
    assert client.get(reverse("documents:glossary_export")).status_code == 403


@pytest.mark.parametrize("role", [*NOT_EDITORS, Role.EXPERT, Role.CITIZEN])
def test_only_the_secretariat_edits_the_glossary(role, client_as, digital):
    client = client_as(role)
    assert client.get(reverse("documents:term_create")).status_code == 403
    assert client.post(reverse("documents:term_create"), _data()).status_code == 403
    assert client.get(reverse("documents:term_edit", args=[digital.pk])).status_code == 403
    assert client.post(reverse("documents:term_delete", args=[digital.pk])).status_code == 403
    assert GlossaryTerm.objects.count() == 1


def test_anonymous_goes_to_login(client_as):
    response = client_as("anonymous").get(reverse("documents:glossary"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_empty_glossary_shows_the_empty_state(client_as):
    body = client_as(Role.STAFF).get(reverse("documents:glossary")).content.decode()
    assert 'class="empty-state"' in body


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["ｉｃｔ", "ICT化", "ﾃﾞｼﾞﾀﾙ", "でじたる", "デジタルカ", "情報"],
)
def test_search_ignores_width_case_and_kana(q, client_as, digital, dx):
    response = client_as(Role.STAFF).get(reverse("documents:glossary"), {"q": q})
    body = response.content.decode()
    assert "デジタル技術を活用して" in body  # デジタル化's definition
    if q in ("ｉｃｔ", "ICT化", "情報", "デジタルカ"):
        assert "でぃーえっくす" not in body  # DX does not match


def test_search_finds_a_reading_and_a_variant(client_as, digital, dx):
    client = client_as(Role.STAFF)
    body = client.get(reverse("documents:glossary"), {"q": "ディーエックス"}).content.decode()
    assert "でぃーえっくす" in body and "デジタル技術を活用して" not in body
    body = client.get(reverse("documents:glossary"), {"q": "ﾃﾞｼﾞﾀﾙ変革"}).content.decode()
    assert "デジタル変革" in body and "デジタル技術を活用して" not in body


def test_a_search_without_results_says_so(client_as, digital):
    body = (
        _english(client_as(Role.STAFF))
        .get(reverse("documents:glossary"), {"q": "ブロックチェーン"})
        .content.decode()
    )
    assert "No glossary term matches" in body


def test_the_glossary_is_paginated(sysadmin, client_as, settings):
    for i in range(30):
        services.term_create(actor=sysadmin, preferred=f"用語{i:02d}", reading=f"ようご{i:02d}")
    body = client_as(Role.STAFF).get(reverse("documents:glossary")).content.decode()
    assert "用語00" in body and "用語29" not in body
    body = client_as(Role.STAFF).get(reverse("documents:glossary"), {"page": 2}).content.decode()
    assert "用語29" in body


def test_the_export_is_utf8_csv_with_a_bom(client_as, digital, dx):
    response = client_as(Role.STAFF).get(reverse("documents:glossary_export"), {"q": "ict"})
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "デジタル化" in text and "情報化、ICT化" in text
    assert "DX" not in text.splitlines()[1:][0]


# --- creating, editing, deleting -------------------------------------------------------------


def test_the_secretariat_adds_a_term(client_as, people):
    response = client_as(Role.SECRETARIAT).post(
        reverse("documents:term_create"), _data(variants=" 公開データ \n\n開放データ\n")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:glossary")
    term = GlossaryTerm.objects.get(preferred="オープンデータ")
    assert term.variant_list == ["公開データ", "開放データ"]
    assert term.variants == "公開データ\n開放データ"
    event = AuditEvent.objects.get(target_type="documents.glossaryterm", target_id=str(term.pk))
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == people[Role.SECRETARIAT]


def test_the_secretariat_edits_a_term(client_as, digital):
    url = reverse("documents:term_edit", args=[digital.pk])
    client = client_as(Role.SECRETARIAT)
    assert client.get(url).status_code == 200
    data = _data(preferred="デジタル化", reading="でじたるか", variants="情報化\nICT化\nIT化")
    response = client.post(url, data)
    assert response.status_code == 302
    digital.refresh_from_db()
    assert digital.variant_list == ["情報化", "ICT化", "IT化"]
    assert AuditEvent.objects.filter(
        target_type="documents.glossaryterm",
        target_id=str(digital.pk),
        action=AuditEvent.Action.UPDATE,
    ).exists()


def test_the_secretariat_deletes_a_term_after_confirming(client_as, digital):
    url = reverse("documents:term_delete", args=[digital.pk])
    client = client_as(Role.SECRETARIAT)
    assert client.get(url).status_code == 200
    assert GlossaryTerm.objects.filter(pk=digital.pk).exists()
    assert client.post(url).status_code == 302
    assert not GlossaryTerm.objects.filter(pk=digital.pk).exists()
    assert AuditEvent.objects.filter(
        target_type="documents.glossaryterm", action=AuditEvent.Action.DELETE
    ).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"variants": "ｵｰﾌﾟﾝﾃﾞｰﾀ"}, "differs from it only in width, case or kana"),
        ({"variants": "オープンデータ"}, "is the preferred term itself"),
        ({"variants": "公開データ\n公開でーた"}, "is listed twice"),
        ({"variants": "でじたる化"}, "is the glossary term “デジタル化”"),
        ({"variants": "ict化"}, "is already a variant of “デジタル化”"),
        ({"preferred": "ＤＸ"}, "is already in the glossary as the term “DX”"),
        ({"preferred": "情報化"}, "is already listed as a variant of “デジタル化”"),
        ({"preferred": ""}, "required"),
    ],
)
def test_a_spelling_cannot_be_claimed_twice(change, message, client_as, digital, dx):
    client = _english(client_as(Role.SECRETARIAT))
    response = client.post(reverse("documents:term_create"), _data(**change))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body.replace("&quot;", '"').replace("&#x27;", "'")
    assert GlossaryTerm.objects.count() == 2


def test_a_term_may_keep_its_own_spellings_when_edited(client_as, digital):
    client = client_as(Role.SECRETARIAT)
    data = _data(preferred="デジタル化", variants="情報化\nICT化", notes="見直し済み")
    response = client.post(reverse("documents:term_edit", args=[digital.pk]), data)
    assert response.status_code == 302
    digital.refresh_from_db()
    assert digital.notes == "見直し済み"


def test_the_export_neutralises_formulas_and_control_characters(client_as, sysadmin, city):
    services.term_create(
        actor=sysadmin, preferred='=HYPERLINK("http://evil.example/","x")',
        definition="-2+3\x0b", notes="＝1+1", variants="@A1",
    )  # fmt: skip
    response = client_as(Role.STAFF).get(reverse("documents:glossary_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if "HYPERLINK" in r[0])
    assert row[0] == '\'=HYPERLINK("http://evil.example/","x")'
    assert row[2] == "'-2+3" and row[3] == "'@A1" and row[4] == "'＝1+1"
    assert "\x0b" not in text
