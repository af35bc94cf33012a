"""Run by tests/surveys/test_import_concurrency.py in a subprocess, on a real SQLite file
(WAL, one writer at a time, as in production without PostgreSQL): a large CSV import while
several people answer a survey. Prints one JSON line with what happened.

Usage: python -m tests.surveys.concurrent_import ROWS BUSY_TIMEOUT_SECONDS
(DATABASE_URL and KYOKAN_DATA_DIR name a fresh file and folder)."""

import itertools
import json
import sys
import threading
import time
from datetime import timedelta


def main(rows: int, busy_timeout: float) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    # Short waits for the write lock, so that a long write transaction shows as failures.
    connections.settings["default"]["OPTIONS"]["timeout"] = busy_timeout
    connection.close()

    from django.utils import timezone

    from kyokan.apps.core.roles import Role
    from kyokan.apps.surveys import importing, services
    from tests.factories import MunicipalityFactory, UserFactory

    MunicipalityFactory()
    secretariat = UserFactory(username="jimu", roles=[Role.SECRETARIAT])
    staff = [UserFactory(username=f"staff{i}", roles=[Role.STAFF]) for i in range(6)]
    today = timezone.localdate()
    survey = services.survey_create(
        actor=secretariat, title="同時", opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=5), audience="all_staff",
    )  # fmt: skip
    text = services.question_create(actor=secretariat, survey=survey, kind="text", text="意見")
    likert = services.question_create(actor=secretariat, survey=survey, kind="likert", text="度")
    number = services.question_create(actor=secretariat, survey=survey, kind="number", text="数")
    services.survey_open(actor=secretariat, survey=survey)
    table = importing.Table(
        header=["意見", "度", "数"],
        rows=[[f"取り込んだ意見{i}", str(i % 5 + 1), str(i)] for i in range(rows)],
    )
    mapping = importing.ColumnMap(questions={text.pk: 0, likert.pk: 1, number.pk: 2})
    connection.close()

    done = threading.Event()
    result = {"answers": 0, "errors": [], "answers_during_import": 0}
    lock = threading.Lock()
    # When each of the import's write transactions and each answer committed.
    chunk_commits: list[float] = []
    answer_commits: list[float] = []
    write_chunk = importing._batch_write

    def timed_chunk(**kwargs):
        write_chunk(**kwargs)
        chunk_commits.append(time.monotonic())

    importing._batch_write = timed_chunk

    def answer(person):
        from django.db import connection as own

        n = 0
        try:
            while not done.is_set():
                n += 1
                try:
                    services.response_save(
                        survey=survey, user=person, answers={text.pk: f"回答{n}", likert.pk: 3}
                    )
                except Exception as exc:  # what a person would see as a 500
                    with lock:
                        result["errors"].append(f"{type(exc).__name__}: {exc}")
                else:
                    with lock:
                        answer_commits.append(time.monotonic())
                        result["answers"] += 1
                        result["answers_during_import"] += not done.is_set()
                time.sleep(0.05)
        finally:
            own.close()

    threads = [threading.Thread(target=answer, args=(p,)) for p in staff]
    for t in threads:
        t.start()
    started = time.monotonic()
    try:
        result["imported"] = importing.responses_import(
            actor=secretariat, survey=survey, table=table, mapping=mapping, filename="big.csv"
        )
    finally:
        result["import_seconds"] = round(time.monotonic() - started, 2)
        done.set()
        for t in threads:
            t.join()
    from kyokan.apps.surveys.models import Response

    result["responses"] = Response.objects.filter(survey=survey).counted().count()
    result["failed"] = len(result["errors"])
    # Answers that committed while the import was writing: after its first chunk, before its
    # last. A single write transaction for the whole file leaves no room for any.
    result["chunks"] = len(chunk_commits)
    if chunk_commits:
        first, last = chunk_commits[0], chunk_commits[-1]
        result["answers_between_chunks"] = sum(first < t < last for t in answer_commits)
        result["gaps_with_answers"] = sum(
            any(a < t < b for t in answer_commits) for a, b in itertools.pairwise(chunk_commits)
        )
    result["errors"] = result["errors"][:5]
    return result


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), float(sys.argv[2])), ensure_ascii=False))
