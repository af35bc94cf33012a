"""Existing data made to hold the new rules.

1. Anonymous responses lose everything that joined them to a person. Until now each kept a
   respondent key (an HMAC of the secret key and the user id), the bureau and role, the
   times to the microsecond and an ordered id. Here, once and for the last time, the keys
   are matched with the users to record *that* each person took part (a Participation,
   created in shuffled order with a random id and no time); then every anonymous response
   is written again under a random id without key, bureau, role, attributes or times, its
   answers too, and the old rows are deleted. Stored analyses of their questions get the
   new ids (in a shuffled mapping) and lose their breakdowns by bureau and role.
2. A number answer that the column cannot hold (it made pages fail) is cleared and its
   response voided, with the reason.
"""

import hashlib
import hmac
import random
import secrets

from django.conf import settings
from django.db import migrations
from django.utils import timezone

ID_LOW, ID_HIGH = 2**32, 2**62


def _random_id() -> int:
    return secrets.randbelow(ID_HIGH - ID_LOW) + ID_LOW


def _key(*parts) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _remap_analysis(result: dict, mapping: dict[str, str]) -> dict:
    def new(value):
        return mapping.get(str(value), value) if value is not None else None

    for item in result.get("items", []):
        item["id"] = new(item.get("id"))
        item["duplicate_of"] = new(item.get("duplicate_of"))
    random.SystemRandom().shuffle(result.get("items", []))
    for cluster in result.get("clusters", []):
        cluster["representatives"] = [new(i) for i in cluster.get("representatives", [])]
    stats = result.get("stats", {})
    for bulk in stats.get("bulk", []):
        bulk["representative"] = new(bulk.get("representative"))
        bulk["items"] = [new(i) for i in bulk.get("items", [])]
    stats.pop("groups", None)
    stats.pop("breakdown", None)
    return result


def migrate_anonymous(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    Participation = apps.get_model("surveys", "Participation")
    User = apps.get_model("core", "User")
    AnalysisRun = apps.get_model("analyses", "AnalysisRun")
    shuffle = random.SystemRandom().shuffle
    user_ids = list(User.objects.values_list("pk", flat=True))
    for survey in Survey.objects.filter(anonymous=True):
        responses = list(Response.objects.filter(survey=survey))
        if not responses:
            continue
        by_key = {_key("survey", survey.pk, "user", pk): pk for pk in user_ids}
        participations = []
        for response in responses:
            if response.respondent_key in by_key:
                participations.append(
                    Participation(id=_random_id(), survey=survey, user_id=by_key[response.respondent_key])
                )
            elif response.source == "public":
                participations.append(
                    Participation(id=_random_id(), survey=survey, visitor_key=response.respondent_key)
                )
        shuffle(participations)
        Participation.objects.bulk_create(participations)
        shuffle(responses)
        mapping: dict[str, str] = {}
        for old in responses:
            new = Response.objects.create(
                id=_random_id(),
                survey=survey,
                respondent=None,
                respondent_key=secrets.token_hex(32),  # dropped in 0004; unique until then
                department=None,
                role="",
                source=old.source,
                attributes={},
                submitted_at=None,
                updated_at=None,
                voided_at=old.voided_at,
                void_reason=old.void_reason,
            )
            answers = list(Answer.objects.filter(response=old))
            Answer.objects.bulk_create(
                Answer(
                    id=_random_id(),
                    response=new,
                    question_id=a.question_id,
                    text=a.text,
                    number=a.number,
                    choices=a.choices,
                )
                for a in answers
            )
            mapping[str(old.pk)] = str(new.pk)  # (before delete() clears old.pk)
            Answer.objects.filter(response=old).delete()
            old.delete()
        for run in AnalysisRun.objects.filter(question__survey=survey).exclude(result=None):
            run.result = _remap_analysis(run.result, mapping)
            run.save(update_fields=["result"])


def void_unreadable_numbers(apps, schema_editor):
    """Numbers beyond what DecimalField(max_digits=14, decimal_places=4) can hold cannot be
    read back (SQLite stored them anyway): read with plain SQL, cleared, response voided."""
    connection = schema_editor.connection
    limit = "9999999999.99995"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT response_id FROM surveys_answer WHERE ABS(number) >= {limit}"
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return
        cursor.execute(f"UPDATE surveys_answer SET number = NULL WHERE ABS(number) >= {limit}")
    Response = apps.get_model("surveys", "Response")
    Response.objects.filter(pk__in=ids).update(
        voided_at=timezone.now(),
        void_reason="A number answer was larger than the column can hold (cleared on upgrade).",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_anonymity_voids_imports"),
        ("analyses", "0002_initial"),
        ("core", "0002_security_exports"),
    ]

    operations = [
        migrations.RunPython(void_unreadable_numbers, migrations.RunPython.noop),
        migrations.RunPython(migrate_anonymous, migrations.RunPython.noop),
    ]
