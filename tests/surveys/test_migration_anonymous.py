"""Migration 0003: existing anonymous responses lose what joined them to a person, and
numbers the column cannot hold are cleared and their response voided."""

import hashlib
import hmac

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("surveys", "0002_anonymity_voids_imports"), ("analyses", "0002_initial")]
AFTER = [("surveys", "0005_form_submission")]


def _key(*parts) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_old_anonymous_responses_are_rewritten_without_joins(people):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Survey, Response = old.get_model("surveys", "Survey"), old.get_model("surveys", "Response")
    Question, Answer = old.get_model("surveys", "Question"), old.get_model("surveys", "Answer")
    Run = old.get_model("analyses", "AnalysisRun")
    staff = people["staff"]
    survey = Survey.objects.create(
        title="旧匿名", opens_on="2025-04-01", closes_on="2025-04-30", audience="all_staff",
        anonymous=True, state="closed", public_token="t1",
    )  # fmt: skip
    question = Question.objects.create(survey=survey, kind="text", text="意見")
    number = Question.objects.create(survey=survey, kind="number", text="数")
    response = Response.objects.create(
        id=7, survey=survey, respondent_key=_key("survey", survey.pk, "user", staff.pk),
        department_id=staff.department_id, role="staff", source="web",
        submitted_at="2025-04-02T10:00:00.123456+09:00", updated_at="2025-04-02T10:00:00+09:00",
    )  # fmt: skip
    Answer.objects.create(id=8, response=response, question=question, text="昔の意見")
    # A value SQLite accepted but cannot be read back (PostgreSQL never stores one: its
    # numeric column refuses it, so there the answer is an ordinary unanswered number).
    unreadable = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO surveys_answer (id, response_id, question_id, text, number, choices)"
            " VALUES (9, 7, %s, '', " + ("9999999999.99999" if unreadable else "NULL") + ", '[]')",
            [number.pk],
        )
    Run.objects.create(
        question=question, status="done",
        result={"items": [{"id": "7", "duplicate_of": None}], "clusters": [
            {"id": "c1", "representatives": ["7"]}], "stats": {"groups": {"department": {}}}},
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # Then every later migration (the models below are today's).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from kyokan.apps.analyses.models import AnalysisRun
    from kyokan.apps.surveys.models import Answer as NewAnswer
    from kyokan.apps.surveys.models import Participation
    from kyokan.apps.surveys.models import Response as NewResponse

    migrated = NewResponse.objects.get(survey_id=survey.pk)
    assert migrated.pk != 7 and migrated.pk >= 2**32
    assert migrated.department_id is None and migrated.role == "" and migrated.attributes == {}
    assert migrated.submitted_at is None and migrated.updated_at is None
    assert (migrated.voided_at is not None) is unreadable  # voided: it held an unreadable number
    assert NewAnswer.objects.get(response=migrated, question_id=question.pk).text == "昔の意見"
    assert NewAnswer.objects.get(response=migrated, question_id=number.pk).number is None
    assert list(
        Participation.objects.filter(survey_id=survey.pk).values_list("user", flat=True)
    ) == [staff.pk]
    run = AnalysisRun.objects.get(question_id=question.pk)
    assert run.result["items"][0]["id"] == str(migrated.pk)
    assert run.result["clusters"][0]["representatives"] == [str(migrated.pk)]
    assert "groups" not in run.result["stats"]
