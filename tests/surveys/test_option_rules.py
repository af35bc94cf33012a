"""How many options a choice question takes, which options count as the same one (the key
the answer import matches cells by), and how many questions a survey takes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import importing, services
from kyokan.apps.surveys.models import Answer, Question
from tests.surveys.conftest import make_survey

OPTIONS_MAX = 50  # models.OPTIONS_MAX, as the messages say
QUESTIONS_MAX = 100


def _post_question(client, survey, choices: list[str], text="都道府県"):
    url = reverse("surveys:question_create", args=[survey.pk])
    token = client.get(url).context["form"]["once"].value()
    data = {"kind": "single", "text": text, "choices_text": "\n".join(choices), "once": token}
    return client.post(url, data)


def test_a_question_takes_at_most_50_options(people, client_as):
    # 10,000 options were taken and drawn on the answering page, the chart and the tables.
    client = client_as(Role.SECRETARIAT)
    survey, _q = make_survey(people[Role.SECRETARIAT])
    response = _post_question(client, survey, [f"選択肢{i}" for i in range(OPTIONS_MAX + 1)])
    assert response.status_code == 200
    assert "選択肢は1つの設問につき50個までです（51個あります）。" in response.content.decode()
    assert not Question.objects.filter(survey=survey, text="都道府県").exists()
    prefectures = [f"県{i}" for i in range(47)] + ["その他", "わからない", "海外"]
    assert len(prefectures) == OPTIONS_MAX
    assert _post_question(client, survey, prefectures).status_code == 302
    assert Question.objects.get(survey=survey, text="都道府県").choices == prefectures


def test_the_service_refuses_too_many_options_for_every_path(people):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat)
    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        services.question_create(
            actor=secretariat, survey=survey, kind="multiple", text="多すぎる",
            choices=[str(i) for i in range(1000)],
        )  # fmt: skip
    assert exc.value.messages == ["選択肢は1つの設問につき50個までです（1000個あります）。"]
    with translation.override("ja"), pytest.raises(ValidationError):
        services.question_update(
            actor=secretariat, question=q["single"], choices=[str(i) for i in range(51)]
        )


@pytest.mark.parametrize(
    "first, second",
    [
        ("Ａ", "A"),
        ("１", "1"),
        ("はい", "はい "),
        ("Yes", "yes"),
        ("ｶﾅ", "カナ"),
        ("その他", "その 他"),
    ],
)
def test_options_that_differ_only_in_width_case_or_spaces_are_refused(people, first, second):
    secretariat = people[Role.SECRETARIAT]
    survey, _q = make_survey(secretariat)
    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        services.question_create(
            actor=secretariat, survey=survey, kind="single", text="同じ選択肢",
            choices=[first, "別", second],
        )  # fmt: skip
    assert exc.value.messages == [
        f"選択肢「{first}」と「{second}」は、全角・半角、大文字・小文字、カタカナ・ひらがな、"
        "空白の違いしかないため、同じ選択肢として扱われます。どちらか一方にするか、違いが分かる"
        "表現にしてください。"
    ]


def test_the_question_form_names_the_two_options(people, client_as):
    client = client_as(Role.SECRETARIAT)
    survey, _q = make_survey(people[Role.SECRETARIAT])
    response = _post_question(client, survey, ["Ａ", "B", "A"], text="幅違い")
    assert response.status_code == 200
    assert "選択肢「Ａ」と「A」は、全角・半角" in response.content.decode()
    assert not Question.objects.filter(survey=survey, text="幅違い").exists()


def test_the_import_counts_a_cell_under_the_option_it_names(open_survey, people):
    """A cell matches an option written differently (full width, lower case) — and, for a
    question stored before the rule with two options of one key, the one it names exactly
    (it went to the last of them)."""
    survey, q = open_survey
    single = q["single"]
    Question.objects.filter(pk=single.pk).update(choices=["Ａ", "A", "窓口"])  # stored before
    importing.responses_import(
        actor=people[Role.SECRETARIAT],
        survey=survey,
        table=importing.Table(
            header=["a", "b", "c"], rows=[["x", "Ａ", "rpa"], ["y", "A", "ＲＰＡ；ﾁｬｯﾄ"]]
        ),
        mapping=importing.ColumnMap(questions={q["text"].pk: 0, single.pk: 1, q["multiple"].pk: 2}),
    )
    by_text = {
        a.response.answers.get(question=q["text"]).text: a.choices
        for a in Answer.objects.filter(question=single).select_related("response")
    }
    assert by_text == {"x": [0], "y": [1]}
    multiple = sorted(tuple(a.choices) for a in Answer.objects.filter(question=q["multiple"]))
    assert multiple == [(1,), (1, 2)]


def test_a_survey_takes_at_most_100_questions(people, client_as):
    secretariat = people[Role.SECRETARIAT]
    survey, questions = make_survey(secretariat)
    for i in range(QUESTIONS_MAX - len(questions)):
        services.question_create(actor=secretariat, survey=survey, kind="text", text=f"問{i}")
    assert survey.questions.count() == QUESTIONS_MAX
    client = client_as(Role.SECRETARIAT)
    url = reverse("surveys:question_create", args=[survey.pk])
    token = client.get(url).context["form"]["once"].value()
    response = client.post(url, {"kind": "text", "text": "問101", "once": token})
    assert "1つのアンケートの設問は100問までです。" in response.content.decode()
    assert survey.questions.count() == QUESTIONS_MAX


def test_the_import_reads_back_options_that_contain_a_separator(people):
    """The export joins a multiple-choice answer's options with "; "; an option with 「、」 in
    it was split apart again by the import (「“はい” is not one of the options.」)."""
    from kyokan.apps.surveys import exporting

    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, title="区切り")
    tools = services.question_create(
        actor=secretariat, survey=survey, kind="multiple", text="使い方",
        choices=["はい、よく使う", "はい", "時々；週に一度", "使わない"],
    )  # fmt: skip
    services.survey_open(actor=secretariat, survey=survey)
    services.response_save(
        survey=survey, answers={q["text"].pk: "a", tools.pk: [0, 2]}, user=people[Role.STAFF]
    )
    cells = [exporting._answer_value(tools, a) for a in Answer.objects.filter(question=tools)]
    assert cells == ["はい、よく使う; 時々；週に一度"]
    rows = [["b", cells[0]], ["c", "はい、使わない"], ["d", "はい; はい、よく使う"]]
    importing.responses_import(
        actor=secretariat,
        survey=survey,
        table=importing.Table(header=["a", "b"], rows=rows),
        mapping=importing.ColumnMap(questions={q["text"].pk: 0, tools.pk: 1}),
    )
    imported = {
        a.response.answers.get(question=q["text"]).text: a.choices
        for a in Answer.objects.filter(question=tools, response__source="import")
    }
    assert imported == {"b": [0, 2], "c": [1, 3], "d": [0, 1]}
    with translation.override("ja"), pytest.raises(importing.ImportRejected) as exc:
        importing.responses_import(
            actor=secretariat,
            survey=survey,
            table=importing.Table(header=["a", "b"], rows=[["e", "はい、FAX"]]),
            mapping=importing.ColumnMap(questions={q["text"].pk: 0, tools.pk: 1}),
        )
    assert exc.value.row_errors[0].message == "「FAX」は選択肢にありません。"
