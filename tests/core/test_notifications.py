"""core.notifications: the one notify service (issue 10, item 1)."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kyokan.apps.core import notifications
from kyokan.apps.core.models import AuditEvent, Notification, NotificationSetting, OutgoingEmail
from kyokan.apps.core.notifications import Attachment, Guest, Message, notify
from tests.factories import UserFactory

KIND = notifications.register_kind("tests.something", gettext_lazy("Test notification"))
QUIET = notifications.register_kind("tests.quiet", gettext_lazy("Quiet test"), default="app")


def _message():
    from django.utils.translation import gettext as _

    return Message(subject=_("meeting"), text=_("Home") + " 令和8年12月1日")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KYOKAN_BASE_URL = "https://kyokan.city.example.jp"


def _send(actor, recipients, **kw):
    kw.setdefault("kind", KIND.key)
    kw.setdefault("link", "/meetings/1/")
    return notify(actor=actor, recipients=recipients, message=_message, **kw)


@pytest.mark.django_db(transaction=True)
def test_a_person_is_told_in_kyokan_and_by_email_in_their_language(immediate, people):
    ja = UserFactory(email="ja@example.jp")
    en = UserFactory(email="en@example.jp", language="en")
    result = _send(people["secretariat"], [ja, en])
    assert (result.notified, result.emailed) == (2, 2)
    assert Notification.objects.filter(recipient=ja).get().subject == "会議"
    assert Notification.objects.filter(recipient=en).get().subject == "meeting"
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["ja@example.jp"].subject == "会議"
    assert "https://kyokan.city.example.jp/meetings/1/" in by_to["ja@example.jp"].body
    assert "令和8年12月1日" in by_to["ja@example.jp"].body
    assert "Kyokan" in by_to["en@example.jp"].body
    assert OutgoingEmail.objects.filter(status="sent").count() == 2
    assert AuditEvent.objects.filter(summary__startswith="notified (tests.something)").exists()


@pytest.mark.django_db(transaction=True)
def test_without_an_address_the_person_is_told_in_kyokan_only(immediate, people):
    nobody = UserFactory(email="")
    result = _send(people["secretariat"], [nobody])
    assert result.notified == 1 and result.emailed == 0
    assert result.without_email == [str(nobody)]
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_guest_gets_the_email_with_their_personal_link(immediate, people):
    guest = Guest(email="expert@example.jp", name="有識者", link="/p/secret-token/")
    attachment = Attachment("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    result = _send(people["secretariat"], [guest], attachments=[attachment])
    assert result.notified == 0 and result.emailed == 1
    message = mail.outbox[0]
    assert "https://kyokan.city.example.jp/p/secret-token/" in message.body
    assert "/meetings/1/" not in message.body
    assert message.attachments[0][0] == "meeting.ics"
    # The audit trail records the notification, never the guest's token.
    assert not AuditEvent.objects.filter(after__icontains="secret-token").exists()


@pytest.mark.django_db(transaction=True)
def test_each_person_chooses_the_channel_per_kind(immediate, people):
    app_only = UserFactory(email="a@example.jp")
    digest = UserFactory(email="d@example.jp")
    NotificationSetting.objects.create(user=app_only, kind=KIND.key, channel="app")
    NotificationSetting.objects.create(user=digest, kind=KIND.key, channel="digest")
    _send(people["secretariat"], [app_only, digest])
    _send(people["secretariat"], [digest], link="/documents/2/")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=digest, digest_pending=True).count() == 2
    assert notifications.digest_send() == 1
    notifications.outbox_flush()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["d@example.jp"]
    assert "/meetings/1/" in mail.outbox[0].body and "/documents/2/" in mail.outbox[0].body
    assert notifications.digest_send() == 0  # nothing twice


@pytest.mark.django_db
def test_a_kind_defaults_to_its_registered_channel(people):
    person = UserFactory(email="q@example.jp")
    notify(actor=None, recipients=[person], kind=QUIET.key, message=_message)
    assert Notification.objects.filter(recipient=person).exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_the_same_reminder_is_never_sent_twice(people):
    person = UserFactory(email="r@example.jp")
    first = _send(None, [person], dedupe_key="poll-reminder:1:2026-12-01")
    second = _send(None, [person], dedupe_key="poll-reminder:1:2026-12-01")
    assert first.notified == 1 and second.notified == 0 and second.skipped == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_kind_is_a_programming_error(people):
    with pytest.raises(KeyError):
        notify(actor=None, recipients=[people["staff"]], kind="nope", message=_message)


@pytest.mark.django_db(transaction=True)
def test_a_refusing_server_is_retried_then_kept_for_the_secretariat(
    immediate, settings, people, client_as
):
    settings.EMAIL_BACKEND = "tests.core.test_notifications.RefusingBackend"
    person = UserFactory(email="x@example.jp")
    started = timezone.now()
    _send(people["secretariat"], [person])  # the first attempt runs (immediate backend)
    email = OutgoingEmail.objects.get()
    assert email.status == "queued" and email.attempts == 1
    assert "refused" in email.last_error and email.next_attempt_at > started
    # Nothing is due yet; later the cron run sends what is due, up to five attempts.
    assert notifications.outbox_flush() == 0
    for _ in range(notifications.MAX_ATTEMPTS):
        notifications.outbox_flush(now=timezone.now() + timezone.timedelta(days=1))
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == notifications.MAX_ATTEMPTS
    page = client_as("secretariat").get(reverse("core:outbox"))
    assert "x@example.jp" in page.text and "refused" in page.text
    # Fixed server: the secretariat sends it again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = client_as("secretariat")
    response = client.post(reverse("core:outbox_retry", args=[email.pk]))
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_bell_counts_unread_and_the_page_lists_unread_first(client_as, people):
    me = people["staff"]
    for i in range(3):
        _send(None, [me], link=f"/meetings/{i}/")
    first = Notification.objects.filter(recipient=me).order_by("id").first()
    first.read_at = timezone.now()
    first.save()
    client = client_as("staff")
    home = client.get("/").content.decode()
    assert 'class="site-bell"' in home and ">2<" in home
    page = client.get(reverse("core:notifications")).content.decode()
    assert page.index("notification--unread") < page.index('class="notification"')
    response = client.post(
        reverse("core:notification_read"),
        {"id": Notification.objects.filter(recipient=me, read_at=None).first().pk,
         "next": "/meetings/2/"},
    )  # fmt: skip
    assert response["Location"] == "/meetings/2/"
    assert Notification.objects.filter(recipient=me, read_at=None).count() == 1
    client.post(reverse("core:notification_read"))
    assert Notification.objects.filter(recipient=me, read_at=None).count() == 0


@pytest.mark.django_db
def test_marking_read_never_redirects_elsewhere_nor_touches_others(client_as, people):
    other = people["hq_member"]
    _send(None, [other])
    note = Notification.objects.get()
    client = client_as("staff")
    response = client.post(
        reverse("core:notification_read"), {"id": note.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:notifications")
    note.refresh_from_db()
    assert note.read_at is None
    # Anything that is not a path on this site goes to the notifications, never a server
    # error (a bare word was tried as a view name by redirect()).
    for target in ("abc", "999999", "//evil.example/x", "javascript:alert(1)", " /x", "\\evil"):
        response = client.post(reverse("core:notification_read"), {"next": target})
        assert response.status_code == 302
        expected = "/x" if target == " /x" else reverse("core:notifications")
        assert response["Location"] == expected


@pytest.mark.django_db
def test_settings_page_saves_the_choice(client_as, people):
    client = client_as("staff")
    page = client.get(reverse("core:notification_settings"))
    assert page.status_code == 200 and str(KIND.label) in page.text
    response = client.post(
        reverse("core:notification_settings"),
        {k.key: "digest" for k in notifications.kinds() if k.key != "core.digest"},
    )
    assert response.status_code == 302
    assert NotificationSetting.objects.get(user=people["staff"], kind=KIND.key).channel == "digest"


@pytest.mark.django_db
def test_reminders_run_is_idempotent(people):
    person = UserFactory(email="rem@example.jp")

    def producer(*, now):
        key = f"tests:{timezone.localdate(now).isoformat()}"
        return _send(None, [person], dedupe_key=key).notified

    notifications.register_reminder("tests.reminder", producer)
    try:
        assert notifications.reminders_run()["tests.reminder"] == 1
        assert notifications.reminders_run()["tests.reminder"] == 0
    finally:
        notifications._REMINDERS.pop("tests.reminder")
    assert Notification.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
def test_notification_pages_do_not_grow_in_queries(
    client_as, people, django_assert_max_num_queries
):
    me = people["staff"]
    client = client_as("staff")
    for _ in range(3):
        _send(None, [me])
    client.get(reverse("core:notifications"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("core:notifications"))
    for _ in range(40):
        _send(None, [me])
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("core:notifications"))
    assert len(large) == len(small)


@pytest.mark.django_db
def test_a_guest_is_not_reminded_twice_under_one_key(people):
    guest = Guest(email="g@example.jp", link="/p/t/")
    first = _send(None, [guest], dedupe_key="poll-reminder:9:2026-12-10")
    second = _send(None, [guest], dedupe_key="poll-reminder:9:2026-12-10")
    assert first.guests_emailed == 1 and second.guests_emailed == 0 and second.skipped == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_dated_stamps_the_notifications_of_a_past_event_and_not_the_emails(people):
    """Loading past events (the demo city): a meeting held last year is not today's news."""
    from datetime import datetime

    person = UserFactory(email="p@example.jp")
    held = timezone.make_aware(datetime(2023, 10, 20, 16, 0))
    before = timezone.now()
    with notifications.dated(held):
        _send(None, [person])
        with notifications.dated(held.replace(year=2024)):
            _send(None, [person], dedupe_key="inner")
        _send(None, [person], dedupe_key="outer")
    _send(None, [person], dedupe_key="after")
    stamps = dict(Notification.objects.values_list("dedupe_key", "created_at"))
    assert stamps[""] == held and stamps["outer"] == held
    assert stamps["inner"] == held.replace(year=2024)
    assert stamps["after"] >= before
    assert OutgoingEmail.objects.count() == 4
    assert all(e.created_at >= before for e in OutgoingEmail.objects.all())
    with pytest.raises(ValueError), notifications.dated(datetime(2023, 10, 20)):
        pass


@pytest.mark.django_db
def test_the_button_of_a_notification_says_open_not_the_action_items_open(client_as, people):
    # 'Open' was one msgid for the button and for action items' state: the button read 「未完了」.
    me = people["staff"]
    _send(None, [me], link="/meetings/1/")
    client = client_as("staff")
    client.cookies["django_language"] = "ja"
    page = client.get(reverse("core:notifications"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert ">開く<" in page
    assert "未完了" not in page
