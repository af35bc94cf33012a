"""Surveys in the site search (issue 10, item 4): title, purpose and questions, found by
those who may see the survey (selectors.can_see)."""

import pytest

from kyokan.apps.core.roles import Role
from kyokan.apps.core.search import index_rebuild, site_search
from kyokan.apps.surveys import services
from tests.surveys.conftest import make_survey

pytestmark = pytest.mark.django_db


def _titles(user, query):
    return [h.title for g in site_search(user, query) if g.key == "surveys.survey" for h in g.hits]


def test_a_survey_is_found_by_its_questions_by_whoever_may_see_it(people):
    secretary = people[Role.SECRETARIAT]
    survey, _q = make_survey(secretary, audience="hq", title="本部員アンケート")
    # A draft: only those who run surveys.
    assert _titles(secretary, "つーる") == ["本部員アンケート"]  # 「使っているツール」
    assert _titles(people[Role.HQ_MEMBER], "ツール") == []
    services.survey_open(actor=secretary, survey=survey)
    assert _titles(people[Role.HQ_MEMBER], "ﾂｰﾙ") == ["本部員アンケート"]
    assert _titles(people[Role.STAFF], "ツール") == []  # not addressed to them
    assert _titles(people[Role.CITIZEN], "ツール") == []
    assert _titles(people[Role.EXPERT], "ツール") == []


def test_edits_reach_the_index_and_reindex_rebuilds_it(people):
    secretary = people[Role.SECRETARIAT]
    survey, questions = make_survey(secretary, title="職員意識調査")
    services.question_update(actor=secretary, question=questions["number"], text="窓口の待ち時間")
    assert _titles(secretary, "待ち時間") == ["職員意識調査"]
    services.question_delete(actor=secretary, question=questions["number"])
    assert _titles(secretary, "待ち時間") == []
    services.survey_update(actor=secretary, survey=survey, purpose="市民起点を測る")
    assert index_rebuild(kinds=["surveys.survey"]) == {"surveys.survey": 1}
    assert _titles(secretary, "市民起点") == ["職員意識調査"]
