"""The demo's notifications lie on its timeline: after `kyokan demo` the bell showed 24 unread
for 事務局, all 新着 and all stamped at the moment of loading (467 in all, e.g. the minutes of
the 1st headquarters meeting, held years ago). Each is now dated when its event happened
(core.notifications.dated) and what is older than two weeks is read."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from kyokan.apps.core.demo import OLD_NEWS_DAYS, demo_load, demo_logins
from kyokan.apps.core.models import Notification


@pytest.mark.django_db
def test_the_demo_notifications_are_dated_on_its_timeline_and_the_old_ones_read():
    started = timezone.now()
    ctx = demo_load()
    now = timezone.now()
    notes = list(Notification.objects.select_related("recipient"))
    assert len(notes) > 100
    assert not [n for n in notes if n.created_at > now], "nothing is told in the future"
    midnight = timezone.make_aware(datetime.combine(ctx.timeline.today, time()))
    before_today = [n for n in notes if n.created_at < midnight]
    assert len(before_today) >= 0.95 * len(notes)
    at_load = [n for n in notes if n.created_at >= started]
    assert len(at_load) <= 0.02 * len(notes), [(n.kind, n.subject) for n in at_load]
    # the 1st headquarters meeting's minutes went out years ago, not today
    first = [n for n in notes if n.subject.endswith("デジタル化推進本部会議 第1回")]
    assert first and all(n.created_at < midnight - timedelta(days=365) for n in first)
    cutoff = midnight - timedelta(days=OLD_NEWS_DAYS)
    old = [n for n in notes if n.created_at < cutoff]
    assert len(old) > len(notes) / 3
    assert all(n.read_at is not None and n.created_at < n.read_at < now for n in old)
    # and the first daily digest does not carry years of news (the demo has people who
    # take their notifications by digest: 42 were waiting for it)
    assert not any(n.digest_pending for n in old)
    recent = [n for n in notes if n.created_at >= cutoff]
    assert recent and all(n.read_at is None for n in recent)
    unread = {
        login: sum(1 for n in recent if n.recipient.username == login)
        for login, _roles, _name in demo_logins()
    }
    assert unread["jimukyoku"] >= 1
    assert max(unread.values()) <= 10, unread
