"""procedure_create: one of the city's own procedures added to the inventory (what the API's
integrations send), checked at the boundary by the import's rules, audited; a refusal
names each field and writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from kyokan.apps.core.models import AuditEvent, Department, SearchEntry
from kyokan.apps.procedures import public, services
from kyokan.apps.procedures.models import Origin, Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def division(people):
    division = people["staff"].department
    assert division.kind == Department.Kind.DIVISION and division.is_active
    return division


def _create(actor, division, **fields):
    values = {"procedure_id": "C-100", "name": "空き家バンク登録申請", "department": division}
    values.update(fields)
    return services.procedure_create(actor=actor, **values)


def test_a_city_procedure_is_created_audited_indexed_and_public(secretariat, division):
    made = _create(
        secretariat, division, procedure_id="Ｃ－１００", law_name="空き家条例",
        article="第5条", online_status="2 未実施", legal_basis_kind="条例", seal="あり",
        fee_payment="none", attachment_count=2, planned_online_year=2027, note="窓口のみ",
    )  # fmt: skip
    made.refresh_from_db()
    # The 手続ID is NFKC-normalised and the codes' labels accepted, as in the import.
    assert (made.procedure_id, made.online_status, made.legal_basis_kind, made.seal) == (
        "C-100",
        "2",
        "ordinance",
        "required",
    )
    assert made.origin == Origin.CITY and made.department == division
    assert made.counts_year is None and made.total_count is None
    assert "空き家" in made.search_text
    event = AuditEvent.objects.get(target_type="procedures.procedure", action="create")
    assert event.actor == secretariat and event.after["procedure_id"] == "C-100"
    assert event.summary == "手続を追加しました"
    # The city's own procedures are the inventory's public part (portal, open data, API).
    assert public.public_procedures().filter(procedure_id="C-100").exists()
    entry = SearchEntry.objects.get(kind="procedures.procedure", object_id=str(made.pk))
    assert entry.title == "空き家バンク登録申請" and "空き家条例" in entry.body


def test_a_duplicate_procedure_id_is_refused_in_japanese(secretariat, division):
    _create(secretariat, division)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, division, procedure_id=" C-100 ", name="別の手続")
    assert caught.value.message_dict == {
        "procedure_id": ["手続ID C-100 はすでに棚卸しにあります（空き家バンク登録申請）。"]
    }
    assert Procedure.objects.count() == 1 and AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"procedure_id": ""}, "procedure_id"),
        ({"procedure_id": "   "}, "procedure_id"),
        ({"procedure_id": "手続1"}, "procedure_id"),
        ({"procedure_id": "1" * 21}, "procedure_id"),
        ({"name": ""}, "name"),
        ({"name": "　 "}, "name"),
        ({"name": "名" * 301}, "name"),
        ({"department": None}, "department"),
        ({"online_status": "9"}, "online_status"),
        ({"online_status": "済み"}, "online_status"),
        ({"legal_basis_kind": "通達"}, "legal_basis_kind"),
        ({"seal": "maybe"}, "seal"),
        ({"fee_payment": "cheque"}, "fee_payment"),
        ({"law_name": "法" * 301}, "law_name"),
        ({"article": "条" * 201}, "article"),
        ({"attachments": "書" * 501}, "attachments"),
        ({"priority_group": "x" * 101}, "priority_group"),
        ({"note": "x" * 4001}, "note"),
        ({"attachment_count": 1001}, "attachment_count"),
        ({"fee_yen": 10**9 + 1}, "fee_yen"),
        ({"citizen_minutes": 10**5 + 1}, "citizen_minutes"),
        ({"planned_online_year": 1800}, "planned_online_year"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(secretariat, division, fields, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, division, **fields)
    messages = caught.value.message_dict
    assert list(messages) == [field] and all(messages[field])
    assert not Procedure.objects.exists() and AuditEvent.objects.count() == before
    assert not SearchEntry.objects.filter(kind="procedures.procedure").exists()


def test_every_problem_is_reported_at_once(secretariat, division):
    with pytest.raises(ValidationError) as caught:
        _create(secretariat, division, procedure_id="", name="", online_status="9",
                law_name="法" * 301)  # fmt: skip
    assert set(caught.value.message_dict) == {"procedure_id", "name", "online_status", "law_name"}
    assert caught.value.message_dict["procedure_id"] == ["手続IDを入力してください。"]


def test_a_bureau_or_an_abolished_division_does_not_carry_procedures_out(secretariat, division):
    closed = Department.objects.create(
        name="廃止課", kind=Department.Kind.DIVISION, parent=division.parent, is_active=False
    )
    for department in (division.parent, closed):
        with pytest.raises(ValidationError) as caught:
            _create(secretariat, division, department=department)
        assert list(caught.value.message_dict) == ["department"]
    assert not Procedure.objects.exists()


def test_only_the_fields_of_a_new_procedure(secretariat, division):
    # The national survey's columns and the counts are not given here (counts: by year).
    for field in ("ministry", "affairs_kind", "total_count", "counter_count", "is_municipal"):
        with pytest.raises(ValueError):
            _create(secretariat, division, **{field: "1"})
    assert not Procedure.objects.exists()
