"""Dates in a sane range: the extreme valid dates (1900-01-01, 2100-12-31) stored in a
document render everywhere, and every date form refuses 0001-01-01 and 9999-12-31."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.documents import io as docio
from kyokan.apps.documents import services
from kyokan.apps.documents.models import RevisionStep, Version
from tests.documents.adoption import meeting_with


@pytest.fixture
def client_as(client_as):
    """The pages in English: these tests read the English messages (the Japanese ones are
    checked complete by tests/core/test_translations.py)."""

    def make(who):
        client = client_as(who)
        client.cookies["django_language"] = "en"
        return client

    return make


EXTREMES = [date(1900, 1, 1), date(2100, 12, 31)]
OUT_OF_RANGE = ["0001-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", EXTREMES)
def test_pages_render_with_extreme_dates(day, client_as, sysadmin, people, adopted, strategy):
    services.step_create(actor=sysadmin, document=strategy, title="極端な日付", due_date=day)
    Version.objects.filter(pk=adopted.pk).update(adopted_on=day, comment_deadline=day)
    staff = client_as(Role.STAFF)
    for url in (
        reverse("documents:detail", args=[strategy.pk]),
        reverse("documents:version", args=[adopted.pk]),
        reverse("documents:list"),
        reverse("documents:public_version", args=[adopted.pk]),
        reverse("documents:public_list"),
        reverse("core:home"),
    ):
        assert staff.get(url).status_code == 200, url
    adopted.refresh_from_db()
    assert f"{day.month}月{day.day}日 第1回デジタル化推進本部会議決定" in docio.export_markdown(
        adopted
    )
    assert docio.export_docx(adopted).startswith(b"PK")


@pytest.mark.parametrize("typed", OUT_OF_RANGE)
def test_the_step_forms_refuse_out_of_range_dates(typed, client_as, strategy, sysadmin):
    client = client_as(Role.SECRETARIAT)
    response = client.post(
        reverse("documents:step_create", args=[strategy.pk]),
        {"title": "範囲外", "due_date": typed, "status": "planned"},
    )
    assert response.status_code == 200
    assert "Enter a date between 1900-01-01 and 2100-12-31." in response.content.decode()
    assert not RevisionStep.objects.filter(title="範囲外").exists()
    step = services.step_create(actor=sysadmin, document=strategy, title="正常")
    response = client.post(
        reverse("documents:step_edit", args=[step.pk]),
        {"title": "正常", "due_date": typed, "status": "planned"},
    )
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.due_date is None


@pytest.mark.parametrize("typed", OUT_OF_RANGE)
def test_consultation_and_adoption_forms_refuse_out_of_range_dates(
    typed, client_as, revision, sysadmin
):
    meeting = meeting_with(revision, actor=sysadmin)
    client = client_as(Role.SECRETARIAT)
    for name, field in (("documents:version_consultation", "deadline"),
                        ("documents:version_adopt", "adopted_on")):  # fmt: skip
        response = client.post(
            reverse(name, args=[revision.pk]),
            {field: typed, "meeting": f"meetings.meeting:{meeting.pk}", "title": "改定"},
        )
        assert response.status_code == 200, name
        assert "Enter a date between 1900-01-01 and 2100-12-31." in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == Version.State.DRAFT


def test_the_services_refuse_out_of_range_dates(sysadmin, strategy, revision):
    with pytest.raises(ValidationError, match="between 1900-01-01 and 2100-12-31"):
        services.step_create(
            actor=sysadmin, document=strategy, title="範囲外", due_date=date(1, 1, 1)
        )
    with pytest.raises(ValidationError, match="between 1900-01-01 and 2100-12-31"):
        services.version_adopt(
            actor=sysadmin,
            version=revision,
            adopted_on=date(9999, 12, 31),
            meeting=f"meetings.meeting:{meeting_with(revision, actor=sysadmin).pk}",
            title="改定",
        )
