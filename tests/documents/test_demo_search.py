"""The demo ends with the site search built (core.demo.demo_load calls index_rebuild): the
strategy's sections are found by a kana variant, and each role finds what it may see."""

import pytest

from kyokan.apps.core.demo import demo_load
from kyokan.apps.core.models import User
from kyokan.apps.core.search import site_search


def _found(username, query):
    user = User.objects.get(username=username)
    return {g.key: [h.title for h in g.hits] for g in site_search(user, query)}


@pytest.mark.django_db
def test_the_demo_search_finds_the_strategy_by_a_kana_variant_as_each_role_may():
    demo_load(only={"core", "documents", "meetings"})
    # 「…実現するまち。」 is written in hiragana; the katakana finds it.
    staff = _found("honbucho", "実現するマチ")
    assert any(t.startswith("デジタル強靱化戦略") and t.endswith("目指す姿")
               for t in staff["documents.section"])  # fmt: skip
    assert "meetings.meeting" in _found("honbucho", "本部会議")
    citizen = _found("shimin", "実現するマチ")
    assert list(citizen) == ["documents.public_section"]  # only the adopted version
    assert _found("shimin", "本部会議") == {}
    expert = User.objects.get(username="yushikisha")
    invited = {str(i.meeting) for i in expert.meeting_invitations.select_related("meeting__series")}
    seen_by_expert = set(_found("yushikisha", "会").get("meetings.meeting", []))
    seen_by_staff = set(_found("honbucho", "会").get("meetings.meeting", []))
    assert seen_by_expert and seen_by_expert <= invited
    assert seen_by_staff - invited  # meetings the expert is not invited to exist
