from datetime import timedelta

import pytest
from django.utils import timezone

from kyokan.apps.meetings import services


@pytest.fixture
def soon():
    """A start time ten days ahead, on the minute."""
    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=10)


@pytest.fixture
def hq_series(sysadmin):
    return services.series_create(actor=sysadmin, name="デジタル化推進本部会議", kind="hq")


@pytest.fixture
def dated_meeting(sysadmin, hq_series, soon):
    return services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=soon, ends_at=soon + timedelta(hours=1)
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Service errors raised outside a request are matched in English here (the Japanese
    catalogue is checked complete by tests/core/test_translations.py)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Notifications' e-mails are sent by the task worker; here the worker's task runs as
    soon as it is enqueued (after the transaction commits), so mail.outbox shows them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
