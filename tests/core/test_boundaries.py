"""Bad and hostile input at core's boundary (issue 8): dates, fiscal years, client addresses
behind a proxy, shared rate limits, login lockout, passwords, CSP, and a worker that
survives the database."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from kyokan.apps.core import ratelimit, services
from kyokan.apps.core.clientip import client_address
from kyokan.apps.core.forms import JapaneseDateField, JapaneseDateTimeField
from kyokan.apps.core.resilience import is_transient, retry_transient
from kyokan.apps.core.validation import validate_fiscal_year, validate_sane_date

# --- dates and fiscal years -------------------------------------------------------------


@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_1900_2100_is_refused_with_a_message(text):
    with pytest.raises(ValidationError) as info:
        JapaneseDateField().clean(text)
    assert "1900-01-01" in str(info.value)


@pytest.mark.parametrize("text", ["1900-01-01", "2100-12-31", "令和5年4月1日", "R5.4.1"])
def test_a_date_inside_the_range_is_accepted(text):
    assert JapaneseDateField().clean(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-04-01 14:00", dt.datetime(2023, 4, 1, 14, 0)),
        ("令和5年4月1日 9:30", dt.datetime(2023, 4, 1, 9, 30)),
        ("R5.4.1 14時05分", dt.datetime(2023, 4, 1, 14, 5)),
        ("２０２３－０４－０１　１４：００", dt.datetime(2023, 4, 1, 14, 0)),
    ],
)
def test_a_datetime_is_read_in_japan_time(text, expected):
    value = JapaneseDateTimeField().clean(text)
    assert value.utcoffset() == dt.timedelta(hours=9)
    assert value.replace(tzinfo=None) == expected


@pytest.mark.parametrize("text", ["0001-01-01 10:00", "9999-12-31 23:59", "2023-04-01", "x"])
def test_a_datetime_out_of_range_or_without_time_is_refused(text):
    with pytest.raises(ValidationError):
        JapaneseDateTimeField().clean(text)


def test_the_date_validator_accepts_datetimes():
    validate_sane_date(dt.datetime(2000, 1, 1, 12, 0))
    with pytest.raises(ValidationError):
        validate_sane_date(dt.datetime(1, 1, 1, 0, 0))


@pytest.mark.django_db
@pytest.mark.parametrize("year", [9999, 2101, 1988, 0])
def test_a_fiscal_year_out_of_range_changes_nothing(sysadmin, year):
    from kyokan.apps.core.models import FiscalYear

    with pytest.raises(ValidationError):
        services.fiscal_year_create(actor=sysadmin, year=year)
    assert not FiscalYear.objects.exists()


@pytest.mark.django_db
def test_the_fiscal_years_page_survives_the_extremes(client_as, sysadmin):
    services.fiscal_year_create(actor=sysadmin, year=1989)
    services.fiscal_year_create(actor=sysadmin, year=2100)
    services.closed_day_create(actor=sysadmin, date=dt.date(1900, 1, 1), name="最古")
    services.closed_day_create(actor=sysadmin, date=dt.date(2100, 12, 31), name="最新")
    client = client_as("secretariat")
    assert client.get(reverse("core:fiscal_years")).status_code == 200
    assert client.get(reverse("core:fiscal_year_detail", args=[2100])).status_code == 200


@pytest.mark.django_db
def test_the_fiscal_year_form_refuses_9999(client_as):
    response = client_as("secretariat").post(reverse("core:fiscal_year_create"), {"year": "9999"})
    assert response.status_code == 200
    assert "2100" in response.text


@pytest.mark.django_db
def test_only_registered_fiscal_years_are_valid(sysadmin):
    services.fiscal_year_create(actor=sysadmin, year=2026)
    validate_fiscal_year(2026)
    with pytest.raises(ValidationError, match="2027"):
        validate_fiscal_year(2027)


# --- the client's address behind a proxy --------------------------------------------------


def _request(remote="10.0.0.5", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.KYOKAN_TRUSTED_PROXIES = []
    assert client_address(_request(forwarded="203.0.113.9")) == "10.0.0.5"


def test_a_trusted_proxy_passes_the_client_address(settings):
    settings.KYOKAN_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request(forwarded="203.0.113.9")) == "203.0.113.9"
    # A client that writes its own header cannot choose its address: the proxy appends the
    # real one, and the rightmost untrusted hop is the client.
    assert client_address(_request(forwarded="1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_address(_request(forwarded="198.51.100.7, 10.0.0.9")) == "198.51.100.7"


def test_an_untrusted_sender_cannot_claim_an_address(settings):
    settings.KYOKAN_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request("192.0.2.1", forwarded="203.0.113.9")) == "192.0.2.1"
    assert client_address(_request(forwarded="not-an-address")) == "10.0.0.5"


# --- rate limits shared by every process ---------------------------------------------------


@pytest.mark.django_db
def test_a_rate_limit_counts_per_identity():
    results = [ratelimit.hit("t", "a", limit=3, window=3600) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.hit("t", "b", limit=3, window=3600) is True


@pytest.mark.django_db
def test_rate_limit_rows_store_no_address():
    from kyokan.apps.core.models import RateCounter

    ratelimit.hit("public_survey", "203.0.113.9", limit=3, window=3600)
    assert "203.0.113.9" not in RateCounter.objects.get().key


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_counted_exactly(settings):
    """Processes share the counter, and increments are atomic: 40 hits from 8 threads
    count 40 (a get-then-set counter loses some)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("in-memory SQLite is one connection per thread")
    allowed = []
    lock = threading.Lock()

    def worker():
        try:
            for _ in range(5):
                ok = ratelimit.hit("race", "x", limit=1000, window=3600)
                with lock:
                    allowed.append(ok)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from kyokan.apps.core.models import RateCounter

    assert len(allowed) == 40 and all(allowed)
    assert RateCounter.objects.get().count == 40


# --- login lockout ------------------------------------------------------------------------


@pytest.mark.django_db
def test_behind_a_proxy_a_stranger_cannot_lock_out_someone_else(client, people, settings):
    """Every request comes from the proxy; the lockout is per login ID and client address,
    so failures from one citizen's address do not lock the mayor out at his own."""
    settings.KYOKAN_TRUSTED_PROXIES = ["10.0.0.5"]
    user = people["hq_chief"]
    user.set_password("Correct-Horse-2026")
    user.save()
    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            login,
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = client.post(
        login,
        {"username": user.username, "password": "Correct-Horse-2026"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code in (403, 429)
    own = client.post(
        login,
        {"username": user.username, "password": "Correct-Horse-2026"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert own.status_code == 302


# --- passwords, CSP ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["12345", "2026", "123456789"])
def test_a_password_made_of_the_login_id_is_refused(sysadmin, people, suffix):
    person = people["staff"]
    with pytest.raises(ValidationError):
        services.user_set_password(actor=sysadmin, user=person, password=person.username + suffix)


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


# --- background work survives the database ---------------------------------------------------


def test_transient_errors_are_retried_then_raised():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retry_transient(flaky, sleep=lambda s: None) == "done"
    assert len(calls) == 3

    def always():
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        retry_transient(always, attempts=3, sleep=lambda s: None)


def test_other_errors_are_not_retried():
    assert not is_transient(OperationalError("no such table: x"))
    calls = []

    def broken():
        calls.append(1)
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError):
        retry_transient(broken, sleep=lambda s: None)
    assert len(calls) == 1


def test_the_worker_goes_on_after_a_database_error(monkeypatch):
    from django_tasks_db.management.commands import db_worker as library

    from kyokan.apps.core.management.commands.db_worker import ResilientWorker

    runs = []

    def run(self):
        runs.append(1)
        if len(runs) < 3:
            raise OperationalError("disk I/O error")

    monkeypatch.setattr(library.Worker, "run", run)
    monkeypatch.setattr("time.sleep", lambda s: None)
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="t",
        excluded_queue_names=[],
    )
    worker.run()
    assert len(runs) == 3


def test_kyokan_db_worker_is_the_resilient_one():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "kyokan.apps.core"
