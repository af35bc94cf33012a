"""Knowledge: searching the experts' inputs, exporting them, and recording them."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import ExpertInput

CITY_STAFF = [
    Role.SECRETARIAT,
    Role.HQ_CHIEF,
    Role.HQ_DEPUTY,
    Role.HQ_MEMBER,
    Role.PROMOTER,
    Role.STAFF,
    Role.SYSADMIN,
]


def _exchange(actor, name="意見交換会", days=30):
    series = services.series_create(actor=actor, name=name, kind="exchange")
    return services.meeting_create(
        actor=actor,
        series=series,
        theme="データ利活用",
        starts_at=timezone.now() + timedelta(days=days),
    )


@pytest.fixture
def exchange(sysadmin):
    meeting = _exchange(sysadmin)
    expert = services.invitation_add_guest(
        actor=sysadmin,
        meeting=meeting,
        name="山田 花子",
        email="yamada@example.jp",
        affiliation="ひかり大学",
    )
    services.expert_input_create(
        actor=sysadmin,
        meeting=meeting,
        expert=expert,
        title="オープンデータの公開を急ぐべき",
        body="市の保有データは機械判読可能な形式で公開するのがよい。",
        tags="オープンデータ, 子育て",
    )
    services.expert_input_create(
        actor=sysadmin,
        meeting=meeting,
        expert=expert,
        title="窓口の待ち時間",
        body="予約制の導入で待ち時間は半分にできる。",
        tags="窓口",
    )
    return meeting


# --- who may see the page -----------------------------------------------------------------


@pytest.mark.parametrize("role", CITY_STAFF)
def test_city_staff_see_the_knowledge_page(role, client_as, exchange):
    response = client_as(role).get(reverse("meetings:knowledge"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "オープンデータの公開を急ぐべき" in body
    assert "山田 花子" in body
    assert "ひかり大学" in body
    assert reverse("meetings:detail", args=[exchange.pk]) in body
    assert "令和" in body  # the meeting's date in 和暦


@pytest.mark.parametrize("role", [Role.EXPERT, Role.CITIZEN])
def test_experts_and_citizens_may_not_search(role, client_as, exchange):
    assert client_as(role).get(reverse("meetings:knowledge")).status_code == 403
    assert client_as(role).get(reverse("meetings:knowledge_export")).status_code == 403


def test_anonymous_is_sent_to_login(client_as, exchange):
    response = client_as("anonymous").get(reverse("meetings:knowledge"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["オープンデータ", "おーぷんでーた", "ｵｰﾌﾟﾝﾃﾞｰﾀ", "オープン　データ", "子育て"],
    ids=["katakana", "hiragana", "half-width", "full-width-space", "tag"],
)
def test_search_ignores_width_and_kana(q, client_as, exchange):
    response = client_as(Role.STAFF).get(reverse("meetings:knowledge"), {"q": q})
    body = response.content.decode()
    assert "オープンデータの公開を急ぐべき" in body
    assert "窓口の待ち時間" not in body


def test_search_without_a_match_says_so(client_as, exchange):
    response = client_as(Role.STAFF).get(reverse("meetings:knowledge"), {"q": "ブロックチェーン"})
    body = response.content.decode()
    assert "empty-state" in body
    assert "オープンデータの公開を急ぐべき" not in body


def test_htmx_request_gets_only_the_results(client_as, exchange):
    response = client_as(Role.STAFF).get(
        reverse("meetings:knowledge"), {"q": "窓口"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.startswith('<div id="knowledge-results"')
    assert "<html" not in body
    assert "窓口の待ち時間" in body


def test_csv_export_has_a_bom_and_follows_the_search(client_as, exchange):
    response = client_as(Role.STAFF).get(reverse("meetings:knowledge_export"), {"q": "ｵｰﾌﾟﾝﾃﾞｰﾀ"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2  # header and the one match
    assert "オープンデータの公開を急ぐべき" in lines[1]
    assert "山田 花子" in lines[1]
    assert "ひかり大学" in lines[1]
    assert "オープンデータ、子育て" in lines[1]


# --- recording inputs -------------------------------------------------------------------------


def test_secretariat_records_an_input(client_as, exchange):
    expert = exchange.invitations.get()
    response = client_as(Role.SECRETARIAT).post(
        reverse("meetings:expert_input_create", args=[exchange.pk]),
        {
            "expert": expert.pk,
            "title": "ＡＩ活用の留意点",
            "body": "個人情報に注意。",
            "tags": "AI",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("meetings:detail", args=[exchange.pk]))
    expert_input = ExpertInput.objects.get(title="ＡＩ活用の留意点")
    assert expert_input.expert == expert
    found = client_as(Role.STAFF).get(reverse("meetings:knowledge"), {"q": "ai活用"})
    assert "ＡＩ活用の留意点" in found.content.decode()


def test_the_expert_must_be_an_invitee_of_that_meeting(client_as, sysadmin, exchange):
    other = _exchange(sysadmin, name="別の意見交換会")
    stranger = services.invitation_add_guest(
        actor=sysadmin, meeting=other, name="他会議 次郎", email="jiro@example.jp"
    )
    response = client_as(Role.SECRETARIAT).post(
        reverse("meetings:expert_input_create", args=[exchange.pk]),
        {"expert": stranger.pk, "title": "無関係", "body": "本文"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ExpertInput.objects.filter(title="無関係").exists()


def test_the_form_offers_the_meetings_invitees(client_as, exchange):
    response = client_as(Role.SECRETARIAT).get(
        reverse("meetings:expert_input_create", args=[exchange.pk])
    )
    assert response.status_code == 200
    assert "山田 花子（ひかり大学）" in response.content.decode()


def test_secretariat_edits_an_input_and_the_search_follows(client_as, exchange):
    expert_input = ExpertInput.objects.get(title="窓口の待ち時間")
    client = client_as(Role.SECRETARIAT)
    page = client.get(reverse("meetings:expert_input_edit", args=[expert_input.pk]))
    assert "窓口の待ち時間" in page.content.decode()
    response = client.post(
        reverse("meetings:expert_input_edit", args=[expert_input.pk]),
        {
            "expert": expert_input.expert_id,
            "title": "書かない窓口",
            "body": "申請書を書かずに済む窓口にする。",
            "tags": "窓口, DX",
        },
    )
    assert response.status_code == 302
    expert_input.refresh_from_db()
    assert expert_input.title == "書かない窓口"
    found = client.get(reverse("meetings:knowledge"), {"q": "ｄｘ"})
    assert "書かない窓口" in found.content.decode()
    gone = client.get(reverse("meetings:knowledge"), {"q": "待ち時間"})
    assert "書かない窓口" not in gone.content.decode()


def test_secretariat_deletes_an_input_after_confirming(client_as, exchange):
    expert_input = ExpertInput.objects.get(title="窓口の待ち時間")
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:expert_input_delete", args=[expert_input.pk])
    assert client.get(url).status_code == 200
    assert ExpertInput.objects.filter(pk=expert_input.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("meetings:detail", args=[exchange.pk]))
    assert not ExpertInput.objects.filter(pk=expert_input.pk).exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.HQ_CHIEF, Role.EXPERT])
def test_only_the_secretariat_records_inputs(role, client_as, exchange):
    expert_input = ExpertInput.objects.first()
    client = client_as(role)
    assert (
        client.get(reverse("meetings:expert_input_create", args=[exchange.pk])).status_code == 403
    )
    assert (
        client.get(reverse("meetings:expert_input_edit", args=[expert_input.pk])).status_code == 403
    )
    assert (
        client.post(reverse("meetings:expert_input_delete", args=[expert_input.pk])).status_code
        == 403
    )
    assert ExpertInput.objects.filter(pk=expert_input.pk).exists()


# --- query count ------------------------------------------------------------------------------


def _grow(actor, n: int, offset: int) -> None:
    for i in range(n):
        meeting = _exchange(actor, name=f"意見交換会{offset + i}", days=offset + i + 1)
        expert = services.invitation_add_guest(
            actor=actor,
            meeting=meeting,
            name=f"専門家{offset + i}",
            email=f"expert{offset + i}@example.jp",
            affiliation="研究所",
        )
        services.expert_input_create(
            actor=actor,
            meeting=meeting,
            expert=expert,
            title=f"オープンデータ提言{offset + i}",
            body="本文",
            tags="オープンデータ, 提言",
        )


@pytest.mark.parametrize("params", [{}, {"q": "おーぷんでーた"}], ids=["all", "search"])
def test_query_count_does_not_grow(params, client_as, sysadmin):
    client = client_as(Role.STAFF)
    url = reverse("meetings:knowledge")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(sysadmin, 3, 0)
    small = count()
    _grow(sysadmin, 30, 100)
    assert count() == small


def test_csv_export_neutralises_formulas_and_control_characters(client_as, sysadmin, exchange):
    expert = exchange.invitations.get()
    services.expert_input_create(
        actor=sysadmin, meeting=exchange, expert=expert,
        title='=HYPERLINK("http://evil.example/","開く")', body="+1+2\x01\x1f", tags="@SUM(A1)",
    )  # fmt: skip
    response = client_as(Role.STAFF).get(reverse("meetings:knowledge_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows if "HYPERLINK" in r[4])
    assert row[4] == '\'=HYPERLINK("http://evil.example/","開く")'
    assert row[5] == "'+1+2" and row[6] == "'@SUM(A1)"
    assert not any(c in text for c in "\x01\x1f")
