"""Past division names (issue 10, item 3): after the HR import renames a division, last
year's pages show it as it was named then — meetings' action items, documents' comments and
endorsements by bureau, surveys' named answers by bureau."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core import hr
from kyokan.apps.core import services as core
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import selectors as documents_selectors
from kyokan.apps.documents import services as documents
from kyokan.apps.documents.services import SectionData
from kyokan.apps.meetings import services
from kyokan.apps.surveys import selectors as surveys_selectors
from kyokan.apps.surveys import services as surveys
from kyokan.apps.surveys.models import Survey

pytestmark = pytest.mark.django_db

HEADER = "区分,部局,課,操作,旧名称,統合先,職員番号,氏名,ふりがな,メール,職名,役割,退職\n"


@pytest.fixture
def org(sysadmin):
    bureau = core.department_create(actor=sysadmin, name="経営戦略部", kind="bureau")
    division = core.department_create(actor=sysadmin, name="企画課", kind="division", parent=bureau)
    person = core.user_create(
        actor=sysadmin,
        username="kikaku",
        full_name="企画 一郎",
        staff_number="5001",
        department=division,
        roles=[(Role.STAFF, None)],
    )
    return bureau, division, person


def _rename(actor, rows: str) -> None:
    record, plan = hr.staff_import_preview(
        actor=actor, data=(HEADER + rows).encode(), filename="hr.csv",
        effective=timezone.localdate(),
    )  # fmt: skip
    assert plan.ok, plan.errors
    hr.staff_import_apply(actor=actor, staff_import=record)


def test_last_years_action_items_keep_the_division_name_of_then(
    client_as, sysadmin, hq_series, org
):
    _bureau, division, person = org
    held = timezone.now() - timedelta(days=365)
    meeting = services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=held, ends_at=held + timedelta(hours=1)
    )
    services.action_item_create(
        actor=sysadmin, meeting=meeting, title="昨年度の宿題", owner=person,
        due_date=timezone.localtime(held).date() + timedelta(days=30),
    )  # fmt: skip
    _rename(sysadmin, "組織,経営戦略部,企画政策課,名称変更,企画課,,,,,,,,\n")
    division.refresh_from_db()
    assert division.name == "企画政策課"
    client = client_as(Role.SECRETARIAT)
    for url in (
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:actions") + "?status=all",
    ):
        page = client.get(url).content.decode()
        assert "<td>企画課</td>" in page and "企画政策課" not in page, url
    # A meeting of today shows today's name.
    today = services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    services.action_item_create(
        actor=sysadmin, meeting=today, title="今年度の宿題", owner=person,
        due_date=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    page = client.get(reverse("meetings:detail", args=[today.pk])).content.decode()
    assert "<td>企画政策課</td>" in page


def test_last_years_documents_and_surveys_keep_the_bureau_name_of_then(sysadmin, people, org):
    _bureau, _division, person = org
    last_year = timezone.localdate() - timedelta(days=365)
    strategy = documents.document_create(actor=sysadmin, kind="strategy", title="戦略")
    version = documents.version_create(
        actor=sysadmin, document=strategy, label="案", sections=[SectionData("姿", "本文")]
    )
    documents.version_open_consultation(
        actor=sysadmin, version=version, deadline=timezone.localdate()
    )
    documents.endorsement_set(actor=person, version=version, stance="endorse")
    survey = surveys.survey_create(
        actor=sysadmin, title="昨年度の調査", opens_on=last_year - timedelta(days=10),
        closes_on=last_year, audience="all_staff",
    )  # fmt: skip
    question = surveys.question_create(
        actor=sysadmin, survey=survey, kind="single", text="どれ", choices=["A", "B"]
    )
    surveys.survey_open(actor=sysadmin, survey=survey, record_past=True)
    surveys.response_save(survey=survey, user=person, answers={question.pk: 0}, _record_past=True)
    # The consultation was last year too.
    type(version).objects.filter(pk=version.pk).update(comment_deadline=last_year)
    Survey.objects.filter(pk=survey.pk).update(state=Survey.State.CLOSED)
    _rename(sysadmin, "組織,デジタル戦略部,,名称変更,経営戦略部,,,,,,,,\n")
    version.refresh_from_db()
    by_bureau = dict(documents_selectors.sharing_stats(version)["by_bureau"])
    assert by_bureau == {"経営戦略部": {"endorse": 1, "object": 0, "comments": 0}}
    survey.refresh_from_db()
    question.refresh_from_db()
    rows = surveys_selectors.cross_tab(question, "department")["rows"]
    assert [key for key, _counts, _n in rows] == ["経営戦略部"]
