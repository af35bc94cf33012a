"""The demo portfolio loads through the services and is consistent with the calendar."""

import pytest
from django.utils import timezone

from kyokan.apps.core.demo import demo_load
from kyokan.apps.documents.models import Version
from kyokan.apps.portfolio.models import BudgetLine, Initiative, ProgressReport, VisionStep


@pytest.mark.django_db
def test_the_demo_portfolio():
    ctx = demo_load(only={"core", "documents", "meetings", "portfolio"})
    fy = ctx.timeline.fiscal_year
    assert 38 <= Initiative.objects.count() <= 42
    assert Initiative.objects.filter(scope="henkaku", dx="X").exclude(rule_kind="none").exists()
    assert Initiative.objects.filter(rule_kind="none", organisation_kind="none",
                                     budget_kind="none", dx="D").count() >= 20  # fmt: skip
    assert ProgressReport.objects.filter(state="returned").exists()
    assert not ProgressReport.objects.filter(submitted_at__gt=timezone.now()).exists()
    assert {b.fiscal_year for b in BudgetLine.objects.all()} == {fy - 1, fy}
    assert set(VisionStep.objects.values_list("fiscal_year", flat=True)) == {fy + 1, fy + 3, fy + 5}
    assert Version.objects.filter(document__kind="policy", state="draft").exists()


def test_the_demo_reports_are_never_dated_after_now():
    # A report of today was stamped 10:00 today: in the future when the demo loads earlier.
    from datetime import timedelta

    from kyokan.apps.portfolio.demo import _at

    now = timezone.now()
    today = timezone.localdate()
    assert _at(today) <= timezone.now()
    assert _at(today + timedelta(days=1)) <= timezone.now()
    assert _at(today - timedelta(days=3)) < now
