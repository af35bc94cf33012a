"""The citizen portal: only public content ever appears (every page, both reading modes),
the reading switches work without JavaScript, anonymous visitors land on the portal, the
reading dictionary is the secretariat's and audited."""

import re

import pytest
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.portal.models import ReadingEntry
from kyokan.apps.portal.views import LARGE_COOKIE, RUBY_COOKIE
from tests.portal import content
from tests.portal.content import INTERNAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(people):
    return content.build(people)


def _text(html: str) -> str:
    """The visible text of a page, ruby readings removed (so a word split by ruby is whole)."""
    html = re.sub(r"<rt>.*?</rt>|<rp>.*?</rp>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def portal_urls(built) -> list[str]:
    return [
        reverse("portal:home"),
        reverse("portal:documents"),
        reverse("portal:document", args=[built["document"].pk]),
        reverse("portal:version", args=[built["adopted_version"].pk]),
        reverse("portal:initiatives"),
        reverse("portal:initiatives") + "?q=取組&status=active",
        reverse("portal:initiative", args=[built["public_initiative"].pk]),
        reverse("portal:surveys"),
        reverse("portal:survey_results", args=[built["results_survey"].pk]),
        reverse("portal:meetings"),
        reverse("portal:meeting", args=[built["upcoming_meeting"].pk]),
        reverse("portal:meeting", args=[built["held_meeting"].pk]),
        reverse("portal:meeting", args=[built["held_unpublished"].pk]),
        reverse("portal:procedures"),
        reverse("portal:participation"),
        reverse("portal:accessibility"),
        reverse("portal:reading_help"),
    ]


@pytest.mark.parametrize("mode", ["plain", "ruby", "large"])
def test_no_internal_item_leaks_through_any_portal_page(client, built, people, mode):
    if mode == "ruby":
        client.cookies[RUBY_COOKIE] = "1"
    if mode == "large":
        client.cookies[LARGE_COOKIE] = "1"
    owner = people["promoter"].full_name
    for url in portal_urls(built):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        text = _text(body)
        assert INTERNAL not in text and INTERNAL not in body, url
        assert owner not in text, url  # the person in charge is never shown
        assert "internal-zqx" not in body, url  # the online meeting link
    # What is public does appear.
    home = _text(client.get(reverse("portal:home")).content.decode())
    assert "公開の取組" in home and "ご意見募集" in home
    meeting = _text(client.get(portal_urls(built)[11]).content.decode())
    assert "改定案を了承した。" in meeting and "改定案を了承する。" in meeting


def test_internal_items_are_not_found(client, built):
    for name, key in [
        ("portal:document", "hidden_document"),
        ("portal:version", "draft_version"),
        ("portal:initiative", "internal_initiative"),
        ("portal:meeting", "internal_meeting"),
        ("portal:survey_results", "hidden_results_survey"),
        ("portal:survey_results", "open_public_survey"),
    ]:
        assert client.get(reverse(name, args=[built[key].pk])).status_code == 404, key


def test_easy_japanese_summary_comes_first(client, built):
    body = _text(client.get(reverse("portal:initiative", args=[built["public_initiative"].pk]))
                 .content.decode())  # fmt: skip
    assert body.index("やさしい取組の説明") < body.index("市民にとっての価値")


def test_anonymous_front_page_is_the_portal_and_staff_keep_the_dashboard(client, client_as):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    login = client.get(reverse("login")).content.decode()
    assert reverse("portal:home") in login
    assert client_as("staff").get("/").status_code == 200


def test_reading_switches_work_without_javascript(client, built):
    url = reverse("portal:initiatives")
    response = client.post(reverse("portal:reading_switch"), {"ruby": "1", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies[RUBY_COOKIE].value == "1"
    page = client.get(url).content.decode()
    assert "<ruby>" in page and 'aria-pressed="true"' in page
    client.post(reverse("portal:reading_switch"), {"large": "1", "next": url})
    assert 'class="portal portal--large portal--ruby"' in client.get(url).content.decode()
    off = client.post(reverse("portal:reading_switch"), {"ruby": "0", "next": url})
    assert off.cookies[RUBY_COOKIE].value == ""
    assert "<ruby>" not in client.get(url).content.decode()


def test_reading_switch_refuses_to_send_elsewhere(client):
    response = client.post(
        reverse("portal:reading_switch"), {"large": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("portal:home")


def test_english_pages(client, built):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("portal:home")).content.decode()
    assert "Citizen portal" in body and "Surveys you can answer" in body


def test_japanese_by_default(client, built):
    body = client.get(reverse("portal:home")).content.decode()
    assert "市民ポータル" in body and "回答できるアンケート" in body


def test_reading_dictionary_is_the_secretariats_and_audited(client_as, people):
    url = reverse("portal:reading_create")
    for role in ("staff", "promoter", "hq_member", "citizen", "expert"):
        assert client_as(role).get(url).status_code == 403
    client = client_as("secretariat")
    response = client.post(url, {"surface": "星見台", "reading": "ほしみだい", "note": "地名"})
    assert response.status_code == 302
    entry = ReadingEntry.objects.get(surface="星見台")
    assert AuditEvent.objects.filter(target_id=str(entry.pk), action="create").exists()
    bad = client.post(url, {"surface": "星見台", "reading": "ホシミダイ"})
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "ひらがな" in page and "ホシミダイ" in page  # what was typed is kept
    client.post(reverse("portal:reading_edit", args=[entry.pk]),
                {"surface": "星見台", "reading": "ほしみだい", "note": "丘の名"})  # fmt: skip
    client.post(reverse("portal:reading_delete", args=[entry.pk]))
    assert not ReadingEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(target_id=str(entry.pk), action="delete").exists()
    assert "星見台" not in client.get(reverse("portal:readings")).content.decode()


def test_reading_without_kanji_is_refused(client_as):
    page = client_as("secretariat").post(
        reverse("portal:reading_create"), {"surface": "ひかり", "reading": "ひかり"}
    )
    assert page.status_code == 200 and "漢字" in page.content.decode()


def test_portal_query_counts_do_not_grow_with_the_data(
    client, people, django_assert_max_num_queries
):
    from tests.portal.content import build

    built = build(people)
    counts = {}
    for url in portal_urls(built):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[url] = len(ctx)
    # Many more public initiatives, meetings and surveys.
    from kyokan.apps.portfolio.models import Initiative

    template = Initiative.objects.get(pk=built["public_initiative"].pk)
    for n in range(30):
        template.pk = None
        template.title = f"公開の取組{n}"
        template.save()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in portal_urls(built):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert len(ctx) <= counts[url], (url, counts[url], len(ctx))
    assert Initiative.objects.filter(is_public=True).count() > 30
