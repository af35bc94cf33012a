"""Fixtures of the deliberation tests: fiscal years around today, ideas and conversations made
through the services."""

import pytest
from django.utils import timezone

from kyokan.apps.core import services as core_services
from kyokan.apps.core.japanese_dates import fiscal_year_of
from kyokan.apps.deliberation import services

FY = fiscal_year_of(timezone.localdate())


@pytest.fixture
def years(sysadmin):
    for year in range(FY - 1, FY + 4):
        core_services.fiscal_year_create(actor=sysadmin, year=year)
    return list(range(FY - 1, FY + 4))


def idea_fields(**overrides):
    fields = {
        "title": "窓口予約のオンライン化",
        "problem": "転入の手続で窓口が混み、長く待たされる。",
        "who": "転入する市民",
        "citizen_value": "待ち時間がなくなる",
        "proposal": "スマートフォンから窓口の来庁予約ができるようにする。",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_idea(people):
    def make(actor=None, **overrides):
        return services.idea_create(actor=actor or people["staff"], **idea_fields(**overrides))

    return make


@pytest.fixture
def make_conversation(people):
    def make(
        *,
        seeds=("市民の手続を来庁不要にすべきだ", "紙の書類をなくすことが先だ"),
        state="open",
        **kw,
    ):
        conversation = services.conversation_create(
            actor=people["secretariat"],
            title="本市が目指すDXとは",
            question="本市が目指すDXとは何でしょうか。",
            seeds=seeds,
            **kw,
        )
        if state == "open":
            services.conversation_set_state(
                actor=people["secretariat"], conversation=conversation, state="open"
            )
        return conversation

    return make
