"""core.search: one service, a backend per engine, permission-filtered (issue 10, item 4)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kyokan.apps.core import search
from kyokan.apps.core.models import SearchEntry
from kyokan.apps.core.search import SearchKind, index_put, index_remove, site_search

pytestmark = pytest.mark.django_db

STRATEGY = "市民起点のデジタル化を進め、窓口での手続をオンライン化する。ＤＸは経営の変革である。"


@pytest.fixture
def kinds():
    def only_invited(user, ids):
        return {i for i in ids if i == "1"} if user.username == "as-expert" else set(ids)

    search.register_search_kind(
        SearchKind("tests.doc", gettext_lazy("Documents"), "core.use_app", order=1)
    )
    search.register_search_kind(
        SearchKind("tests.meeting", gettext_lazy("Meetings"), "core.use_app", only_invited, order=2)
    )
    search.register_search_kind(SearchKind("tests.audit", "audit", "core.view_audit", order=3))
    index_put(kind="tests.doc", object_id=1, title="デジタル強靱化戦略", body=STRATEGY, url="/d/1/")
    index_put(
        kind="tests.doc", object_id=2, title="行動指針", body="職員は市民の声を聴く。", url="/d/2/"
    )
    index_put(
        kind="tests.meeting", object_id=1, title="第5回本部会議", body="DXの定義", url="/m/1/"
    )
    index_put(
        kind="tests.meeting", object_id=2, title="第6回本部会議", body="DXの定義案", url="/m/2/"
    )
    index_put(kind="tests.audit", object_id=9, title="監査 DXの定義", body="", url="/a/9/")
    yield
    for key in ("tests.doc", "tests.meeting", "tests.audit"):
        search._KINDS.pop(key)


def _titles(groups):
    return {g.key: [h.title for h in g.hits] for g in groups}


@pytest.mark.usefixtures("kinds")
@pytest.mark.parametrize(
    "query",
    ["でじたる", "ﾃﾞｼﾞﾀﾙ", "デジタル", "ｄｘ", "dx", "オンライン化", "おんらいん", "窓口"],
)
def test_width_and_kana_variants_find_the_same(people, query):
    found = _titles(site_search(people["secretariat"], query))
    assert "デジタル強靱化戦略" in found.get("tests.doc", [])


@pytest.mark.usefixtures("kinds")
def test_partial_words_of_two_characters_and_more(people):
    assert _titles(site_search(people["staff"], "窓口"))["tests.doc"] == ["デジタル強靱化戦略"]
    assert _titles(site_search(people["staff"], "強靱"))["tests.doc"] == ["デジタル強靱化戦略"]
    assert site_search(people["staff"], "ない言葉です") == []


@pytest.mark.usefixtures("kinds")
def test_results_are_permission_filtered(people):
    expert = _titles(site_search(people["expert"], "定義"))
    assert expert["tests.meeting"] == ["第5回本部会議"]  # not the 6th: not invited
    assert "tests.audit" not in expert
    staff = _titles(site_search(people["secretariat"], "定義"))
    assert sorted(staff["tests.meeting"]) == ["第5回本部会議", "第6回本部会議"]
    assert staff["tests.audit"] == ["監査 DXの定義"]


@pytest.mark.usefixtures("kinds")
def test_the_index_follows_changes(people):
    index_put(
        kind="tests.doc", object_id=2, title="行動指針（改定）", body="対話を重ねる", url="/d/2/"
    )
    assert _titles(site_search(people["staff"], "対話"))["tests.doc"] == ["行動指針（改定）"]
    assert "tests.doc" not in _titles(site_search(people["staff"], "声を聴く"))
    index_remove(kind="tests.doc", object_id=2)
    assert "tests.doc" not in _titles(site_search(people["staff"], "対話"))
    assert SearchEntry.objects.filter(kind="tests.doc").count() == 1


@pytest.mark.usefixtures("kinds")
def test_the_page_shows_groups_and_an_excerpt_around_the_match(client_as):
    page = client_as("staff").get(reverse("core:search"), {"q": "おんらいん"}).content.decode()
    assert "デジタル強靱化戦略" in page and "オンライン化" in page
    empty = client_as("staff").get(reverse("core:search"), {"q": "存在しない語"}).content.decode()
    assert 'class="empty-state"' in empty


@pytest.mark.usefixtures("kinds")
@pytest.mark.parametrize("query", ['"', "' OR 1=1 --", "%", "_", "*", "NEAR(a b)", "a" * 500])
def test_hostile_queries_find_nothing_and_break_nothing(client_as, query):
    response = client_as("staff").get(reverse("core:search"), {"q": query})
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("core:search"), {"q": "DX"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_people_and_departments_are_found_by_city_staff_only(people, sysadmin):
    from kyokan.apps.core import services

    bureau = services.department_create(actor=sysadmin, name="経営戦略部", kind="bureau")
    services.user_create(
        actor=sysadmin,
        username="yamada",
        full_name="山田 花子",
        full_name_kana="やまだ はなこ",
        department=bureau,
        title="主査",
    )
    found = _titles(site_search(people["staff"], "ヤマダ"))  # kana variant of the reading
    assert found["core.user"] == ["山田 花子"]
    assert _titles(site_search(people["staff"], "経営戦略"))["core.department"] == ["経営戦略部"]
    assert site_search(people["expert"], "ヤマダ") == []
    assert site_search(people["citizen"], "経営戦略") == []
