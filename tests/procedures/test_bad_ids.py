"""The procedure's edit form with an id beyond any database integer: a form error with what
was typed kept, not a server error (SQLite cannot even look such an id up)."""

import pytest
from django.urls import reverse

from kyokan.apps.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def test_a_life_event_id_beyond_any_integer_is_a_form_error(people, client_as):
    procedure = Procedure.objects.create(
        procedure_id="1", name="転入届", department=people["staff"].department
    )
    client = client_as("secretariat")
    response = client.post(
        reverse("procedures:edit", args=[procedure.pk]),
        {"life_events": ["99999999999999999999"], "note": "窓口で受け付けた件数の注記",
         "seal": "none", "legal_basis_kind": "law", "fee_payment": "none"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "窓口で受け付けた件数の注記" in page
    assert "99999999999999999999" in page  # Django's message names the value refused
    procedure.refresh_from_db()
    assert procedure.note == ""
