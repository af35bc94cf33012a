from datetime import timedelta

import pytest
from django.utils import timezone

from kyokan.apps.surveys import services


@pytest.fixture(autouse=True)
def english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


def make_survey(actor, *, audience="all_staff", anonymous=False, **extra):
    today = timezone.localdate()
    survey = services.survey_create(
        actor=actor,
        title=extra.pop("title", "あなたにとってDXとは"),
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        audience=audience,
        anonymous=anonymous,
        **extra,
    )
    questions = {
        "text": services.question_create(
            actor=actor, survey=survey, kind="text", text="あなたにとってDXとは", required=True
        ),
        "single": services.question_create(
            actor=actor,
            survey=survey,
            kind="single",
            text="所属の種類",
            choices=["窓口", "内部管理", "事業"],
        ),
        "multiple": services.question_create(
            actor=actor,
            survey=survey,
            kind="multiple",
            text="使っているツール",
            choices=["電子申請", "RPA", "チャット"],
        ),
        "likert": services.question_create(
            actor=actor, survey=survey, kind="likert", text="DXの目的を理解している"
        ),
        "number": services.question_create(
            actor=actor, survey=survey, kind="number", text="研修の受講回数"
        ),
    }
    return survey, questions


@pytest.fixture
def open_survey(sysadmin, people):
    survey, questions = make_survey(people["secretariat"])
    services.survey_open(actor=people["secretariat"], survey=survey)
    return survey, questions
