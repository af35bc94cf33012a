"""Journeys through the core pages, with the bad input each one must refuse."""

from datetime import date

import pytest
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent, ClosedDay, Department, RoleAssignment, User
from kyokan.apps.core.roles import Role
from tests.factories import TEST_PASSWORD, BureauFactory, DivisionFactory, UserFactory


@pytest.fixture
def admin_client(client_as):
    return client_as("sysadmin")


def _errors(response) -> str:
    return response.content.decode()


# --- people ---------------------------------------------------------------------------


def test_register_a_person_with_roles(admin_client, sysadmin):
    bureau = BureauFactory(name="福祉部")
    division = DivisionFactory(name="福祉総務課", parent=bureau)
    response = admin_client.post(
        reverse("core:person_create"),
        {
            "username": "fukushi01",
            "full_name": "福祉 花子",
            "full_name_kana": "ふくし はなこ",
            "email": "fukushi01@example.jp",
            "department": division.pk,
            "title": "主任",
            "roles": [Role.STAFF],
            "promoter_departments": [bureau.pk],
            "password1": "Hikari-no-2026!",
            "password2": "Hikari-no-2026!",
        },
    )
    person = User.objects.get(username="fukushi01")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:person_detail", args=[person.pk])
    assert {(a.role, a.department_id) for a in person.role_assignments.all()} == {
        (Role.STAFF, None),
        (Role.PROMOTER, bureau.pk),
    }
    assert person.check_password("Hikari-no-2026!")
    assert AuditEvent.objects.filter(target_type="core.user", target_id=str(person.pk)).count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"username": "as-staff"}, "already exists"),
        ({"password2": "different-2026!"}, "differ"),
        ({"password1": "12345678901", "password2": "12345678901"}, "numeric"),
        ({"full_name_kana": "Hanako"}, "hiragana or katakana"),
        ({"email": "not-an-address"}, "valid email"),
        ({"full_name": ""}, "required"),
        # An id beyond any database integer was a server error (SQLite cannot bind it).
        ({"promoter_departments": ["99999999999999999999"]}, "is not a valid value"),
    ],
)
def test_bad_person_input_is_refused_and_keeps_what_was_typed(
    admin_client, people, change, message
):
    data = {
        "username": "newperson",
        "full_name": "新規 太郎",
        "full_name_kana": "しんき たろう",
        "email": "newperson@example.jp",
        "title": "主事",
        "password1": "Hikari-no-2026!",
        "password2": "Hikari-no-2026!",
        **change,
    }
    admin_client.cookies["django_language"] = "en"
    response = admin_client.post(reverse("core:person_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "新規 太郎" in body or change.get("full_name") == ""
    assert not User.objects.filter(username=data["username"], full_name="新規 太郎").exists()


def test_japanese_messages_by_default(admin_client):
    response = admin_client.post(reverse("core:person_create"), {"username": ""})
    assert "必須" in response.content.decode()


def test_roles_cannot_remove_own_sysadmin_role(admin_client, sysadmin):
    response = admin_client.post(reverse("core:person_roles", args=[sysadmin.pk]), {"roles": []})
    assert response.status_code == 200
    assert RoleAssignment.objects.filter(user=sysadmin, role=Role.SYSADMIN).exists()


def test_deactivate_asks_first_then_blocks_login(admin_client, people, client):
    person = people[Role.STAFF]
    url = reverse("core:person_active", args=[person.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and 'name="active" value="0"' in confirm.content.decode()
    person.refresh_from_db()
    assert person.is_active
    admin_client.post(url, {"active": "0"})
    person.refresh_from_db()
    assert not person.is_active
    admin_client.logout()
    response = client.post(
        reverse("login"), {"username": person.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session


def test_cannot_deactivate_self(admin_client, sysadmin):
    admin_client.post(reverse("core:person_active", args=[sysadmin.pk]), {"active": "0"})
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_people_list_filters(client_as, people):
    client = client_as(Role.SECRETARIAT)
    response = client.get(reverse("core:people"), {"role": Role.EXPERT})
    body = response.content.decode()
    assert people[Role.EXPERT].full_name in body
    assert people[Role.CITIZEN].full_name not in body


def test_citizen_sees_own_person_page_only(client_as, people):
    client = client_as(Role.CITIZEN)
    own = people[Role.CITIZEN]
    assert client.get(reverse("core:person_detail", args=[own.pk])).status_code == 200
    other = people[Role.STAFF]
    assert client.get(reverse("core:person_detail", args=[other.pk])).status_code == 403


# --- session --------------------------------------------------------------------------


def test_login_and_logout_are_recorded(client, people):
    person = people[Role.STAFF]
    response = client.post(
        reverse("login"), {"username": person.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=person).exists()
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="logout", actor=person).exists()


def test_login_is_throttled_after_repeated_failures(client, people, settings):
    person = people[Role.STAFF]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": person.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": person.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_own_password_change(client_as, people):
    client = client_as(Role.STAFF)
    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Hikari-no-2027!",
            "new_password2": "Hikari-no-2027!",
        },
    )
    assert response.status_code == 302
    people[Role.STAFF].refresh_from_db()
    assert people[Role.STAFF].check_password("Hikari-no-2027!")
    assert AuditEvent.objects.filter(action="password").exists()


def test_wrong_old_password_changes_nothing(client_as, people):
    client = client_as(Role.STAFF)
    client.post(
        reverse("core:password_change"),
        {
            "old_password": "nope",
            "new_password1": "Hikari-2027!x",
            "new_password2": "Hikari-2027!x",
        },
    )
    people[Role.STAFF].refresh_from_db()
    assert people[Role.STAFF].check_password(TEST_PASSWORD)


def test_profile_edit(client_as, people):
    client = client_as(Role.CITIZEN)
    client.post(
        reverse("core:profile_edit"),
        {"full_name_kana": "しみん", "email": "a@example.jp", "language": "en"},
    )
    people[Role.CITIZEN].refresh_from_db()
    assert people[Role.CITIZEN].email == "a@example.jp"
    assert people[Role.CITIZEN].language == "en"  # the language of their e-mails


# --- departments ----------------------------------------------------------------------


def test_division_needs_a_bureau_and_bureau_has_none(admin_client):
    bureau = BureauFactory()
    r1 = admin_client.post(
        reverse("core:department_create"), {"name": "迷子課", "kind": "division"}
    )
    r2 = admin_client.post(
        reverse("core:department_create"),
        {"name": "入れ子部", "kind": "bureau", "parent": bureau.pk},
    )
    assert r1.status_code == r2.status_code == 200
    assert not Department.objects.filter(name__in=["迷子課", "入れ子部"]).exists()


def test_duplicate_division_name_in_one_bureau(admin_client):
    division = DivisionFactory(name="総務課")
    response = admin_client.post(
        reverse("core:department_create"),
        {"name": "総務課", "kind": "division", "parent": division.parent_id, "sort_order": 0},
    )
    assert response.status_code == 200
    assert Department.objects.filter(name="総務課").count() == 1


def test_delete_refuses_a_department_with_people_and_deletes_an_empty_one(admin_client, people):
    busy = people[Role.STAFF].department
    admin_client.post(reverse("core:department_delete", args=[busy.pk]))
    assert Department.objects.filter(pk=busy.pk).exists()
    empty = DivisionFactory()
    confirm = admin_client.get(reverse("core:department_delete", args=[empty.pk]))
    assert confirm.status_code == 200 and Department.objects.filter(pk=empty.pk).exists()
    admin_client.post(reverse("core:department_delete", args=[empty.pk]))
    assert not Department.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(action="delete", target_id=str(empty.pk)).exists()


# --- municipality and calendar --------------------------------------------------------


def test_local_government_code_check_digit(admin_client, city):
    data = {
        "name": "テスト市",
        "code": "139905",
        "hourly_labour_cost": 4000,
        "citizen_hour_value": 2000,
        "default_useful_life_years": 5,
    }
    admin_client.cookies["django_language"] = "en"
    response = admin_client.post(reverse("core:municipality_edit"), data)
    assert response.status_code == 200
    assert "check digit of 139905 should be 4" in response.content.decode()
    city.refresh_from_db()
    assert city.code == "139904"
    data["code"] = "131016"  # a valid code: check digit 6
    response = admin_client.post(reverse("core:municipality_edit"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    city.refresh_from_db()
    assert city.code == "131016"


def test_closed_day_accepts_wareki_and_refuses_nonsense(admin_client):
    admin_client.post(
        reverse("core:closed_day_create"), {"date": "令和5年8月14日", "name": "設備点検"}
    )
    assert ClosedDay.objects.get().date == date(2023, 8, 14)
    response = admin_client.post(
        reverse("core:closed_day_create"), {"date": "平成32年1月1日", "name": "存在しない日"}
    )
    assert response.status_code == 200
    assert "期間外" in response.content.decode()
    assert ClosedDay.objects.count() == 1


def test_fiscal_year_page_lists_holidays_and_closed_days(admin_client, sysadmin):
    from kyokan.apps.core import services

    services.fiscal_year_create(actor=sysadmin, year=2023)
    services.closed_day_create(actor=sysadmin, date=date(2023, 8, 14), name="設備点検")
    body = admin_client.get(reverse("core:fiscal_year_detail", args=[2023])).content.decode()
    assert "令和5年度（2023年度）" in body
    assert "設備点検" in body and "元日" in body and "年末年始" in body


def test_fiscal_year_twice_is_refused(admin_client, sysadmin):
    admin_client.post(reverse("core:fiscal_year_create"), {"year": 2025})
    response = admin_client.post(reverse("core:fiscal_year_create"), {"year": 2025})
    assert response.status_code == 200


# --- audit pages ----------------------------------------------------------------------


def test_audit_filters_and_csv_export(client_as, sysadmin):
    from kyokan.apps.core import services

    services.department_create(actor=sysadmin, name="監査部", kind="bureau")
    client = client_as(Role.SECRETARIAT)
    body = client.get(reverse("core:audit"), {"action": "create"}).content.decode()
    assert "監査部" in body
    bad = client.get(reverse("core:audit"), {"since": "2024-04-02", "until": "2024-04-01"})
    assert bad.status_code == 200
    csv_response = client.get(reverse("core:audit_export"), {"q": "監査部"})
    content = b"".join(csv_response.streaming_content).decode("utf-8")
    from django.utils import translation

    from kyokan.apps.core.models import Department

    with translation.override("ja"):
        header = f"\ufeffID,{translation.gettext('when')},{translation.gettext('who')}"
        department = str(Department._meta.verbose_name)
    assert content.startswith(header)
    assert "監査部" in content
    assert "core.department" not in content and department in content


def test_the_audit_trail_names_object_types_in_the_users_language(client_as, sysadmin):
    """Issue 9, item 14: internal names (core.department) reached users."""
    from django.utils import translation

    from kyokan.apps.core import services
    from kyokan.apps.core.models import AuditEvent, Department

    services.department_create(actor=sysadmin, name="監査部", kind="bureau")
    client = client_as(Role.SECRETARIAT)
    event = AuditEvent.objects.filter(target_type="core.department").get()
    for lang in ("ja", "en"):
        client.cookies["django_language"] = lang
        with translation.override(lang):
            label = str(Department._meta.verbose_name)
        for url in (reverse("core:audit"), reverse("core:audit_detail", args=[event.pk])):
            body = client.get(url).content.decode()
            assert label in body
            assert "core.department" not in body.replace('value="core.department"', "")


def test_unknown_actor_filter_says_so(client_as):
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("core:audit"), {"actor": "nobody"}).content.decode()
    assert "No person has that login ID" in body


def test_home_dashboard_panels_depend_on_role(client_as):
    admin_home = client_as(Role.SYSADMIN).get("/").content.decode()
    assert 'id="panel-audit"' in admin_home and 'id="panel-people"' in admin_home
    citizen_home = client_as(Role.CITIZEN).get("/").content.decode()
    assert 'id="panel-audit"' not in citizen_home and 'id="panel-people"' not in citizen_home


def test_japanese_is_the_default_whatever_the_browser_asks(client_as):
    client = client_as(Role.STAFF)
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in body
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_page_has_lang_and_skip_link(client_as):
    body = client_as(Role.STAFF).get("/").content.decode()
    assert '<html lang="ja">' in body
    assert 'class="skip-link" href="#main"' in body


def test_user_factory_defaults():
    assert UserFactory._meta.model is User


# --- htmx enhancement (the pages work without it) -------------------------------------


@pytest.mark.parametrize(
    ("url_name", "args", "results_id"),
    [
        ("core:people", [], "people-results"),
        ("core:audit", [], "audit-results"),
        ("core:department_detail", ["department"], "department-people"),
    ],
)
def test_lists_answer_htmx_with_only_their_results(client_as, people, url_name, args, results_id):
    client = client_as(Role.SECRETARIAT)
    url = reverse(url_name, args=[people[Role.STAFF].department.pk] if args else [])
    full = client.get(url).content.decode()
    assert "<html" in full and f'id="{results_id}"' in full
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert partial.lstrip().startswith(f'<div id="{results_id}"')


def test_audit_history_of_one_object(client_as, sysadmin, people):
    from kyokan.apps.core import services

    person = people[Role.STAFF]
    services.user_update(actor=sysadmin, user=person, title="係長")
    client = client_as(Role.SECRETARIAT)
    detail = client.get(reverse("core:person_detail", args=[person.pk])).content.decode()
    assert f"target_type=core.user&amp;target_id={person.pk}" in detail
    page = client.get(reverse("core:audit"), {"target_type": "core.user", "target_id": person.pk})
    rows = page.context["page"].object_list
    assert [e.target_id for e in rows] == [str(person.pk)]
    assert rows[0].after == {"title": "係長"}


@pytest.mark.django_db
def test_an_anonymous_visitor_with_a_very_long_search_goes_to_login_and_back(client):
    # The login redirect carried the whole address (about 18,000 characters for 2,000 kana,
    # percent-encoded), over Django's limit for a redirect: a 400 page instead of the login.
    url = reverse("meetings:list")
    response = client.get(url, {"q": "あ" * 2000})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert response["Location"].endswith("?next=" + url)
    short = client.get(url, {"q": "会議"})
    assert "q%3D" in short["Location"]  # a short query is kept
