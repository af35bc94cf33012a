"""Moderation: one report per reporter, hidden from the threshold on until the secretariat
decides, the queue, rate limits; everything audited."""

import pytest
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent, Notification
from kyokan.apps.deliberation import selectors, services
from kyokan.apps.deliberation.models import Report

pytestmark = pytest.mark.django_db


def test_reports_hide_an_idea_at_the_threshold_until_the_secretariat_decides(make_idea, people):
    idea = make_idea()
    services.report_file(actor=people["promoter"], target=idea, reason="abuse")
    assert services.report_file(actor=people["promoter"], target=idea, reason="spam") is None
    services.report_file(actor=people["hq_member"], target=idea, reason="abuse")
    idea.refresh_from_db()
    assert idea.visibility == "visible"
    services.report_file(actor=None, target=idea, reason="privacy", address="192.0.2.1")
    idea.refresh_from_db()
    assert idea.visibility == "hidden"
    assert Report.objects.filter(idea=idea).count() == 3
    assert Notification.objects.filter(
        recipient=people["secretariat"], kind="deliberation.reported"
    )
    # hidden: others no longer see it, the author and the secretariat do
    assert not people["hq_member"].has_perm("deliberation.view_idea", idea)
    assert people["staff"].has_perm("deliberation.view_idea", idea)
    assert people["secretariat"].has_perm("deliberation.view_idea", idea)
    queue = selectors.moderation_queue()
    assert queue["ideas"] == [idea] and queue["ideas"][0].n == 3
    services.moderation_decide(actor=people["secretariat"], target=idea, keep=True)
    idea.refresh_from_db()
    assert idea.visibility == "visible"
    assert not Report.objects.filter(idea=idea, resolved=False).exists()
    assert AuditEvent.objects.filter(target_type="deliberation.report").count() == 3


def test_a_removed_comment_keeps_its_place_without_its_text(client_as, make_idea, people):
    idea = make_idea()
    comment = services.comment_add(actor=people["promoter"], idea=idea, body="不適切な書き込み")
    services.moderation_decide(actor=people["secretariat"], target=comment, keep=False)
    page = client_as("hq_member").get(idea.get_absolute_url()).content.decode()
    assert "不適切な書き込み" not in page
    assert (
        "不適切な書き込み" in client_as("secretariat").get(idea.get_absolute_url()).content.decode()
    )


def test_the_queue_decides_through_its_form(client_as, make_idea, people, settings):
    settings.KYOKAN_DELIBERATION_REPORT_THRESHOLD = 1
    idea = make_idea()
    services.report_file(actor=people["promoter"], target=idea, reason="spam")
    client = client_as("secretariat")
    assert idea.title in client.get(reverse("deliberation:moderation")).content.decode()
    client.post(
        reverse("deliberation:moderation_decide", args=["idea", idea.pk]), {"decision": "remove"}
    )
    idea.refresh_from_db()
    assert idea.visibility == "removed"
    assert (
        client_as("staff")
        .post(
            reverse("deliberation:moderation_decide", args=["idea", idea.pk]), {"decision": "keep"}
        )
        .status_code
        == 403
    )


def test_reports_are_rate_limited_per_person(client_as, make_idea, monkeypatch):
    from kyokan.apps.deliberation import limits

    monkeypatch.setitem(limits.LIMITS, "report", (3, 3600))
    ideas = [make_idea(title=f"案その{n}") for n in range(5)]
    client = client_as("promoter")
    for idea in ideas:
        client.post(reverse("deliberation:idea_report", args=[idea.pk]), {"reason": "spam"})
    assert Report.objects.count() == 3


def test_a_visitor_reports_a_public_idea_once(client, make_idea, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=False)
    idea = make_idea()
    services.idea_publish(actor=people["secretariat"], idea=idea, public=True)
    for _ in range(2):
        client.post(reverse("deliberation:public_report", args=[idea.pk]), {"reason": "abuse"})
    assert Report.objects.filter(idea=idea).count() == 1
