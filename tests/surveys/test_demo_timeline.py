"""The demo's surveys on the demo's timeline (issue 9, item 17): loaded on several days, the
pre-survey 「あなたにとってDXとは」 closed some weeks before today (before the 5th
headquarters meeting, about three weeks ago), the second round ran after it and is open now
or closed in the past — never "closed" with a closing day still ahead — and every date lies
within the demo's fiscal years."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from kyokan.apps.analyses.models import AnalysisRun
from kyokan.apps.core.demo import demo_load
from kyokan.apps.core.models import FiscalYear
from kyokan.apps.surveys.models import Response, Survey


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _days() -> list[date]:
    """Today, the end of this fiscal year and the start of the next one (days from today
    on: the meetings demo records its date polls as still to come)."""
    real = timezone.localdate()
    fy = real.year if real.month >= 4 else real.year - 1
    end = max(date(fy + 1, 3, 25), real)
    return [real, end, date(fy + 1, 4, 2)]


@pytest.mark.parametrize("when", [0, 1, 2], ids=["today", "end-of-fiscal-year", "next-april"])
def test_the_demo_surveys_follow_the_demo_calendar(db, when):
    today = _days()[when]
    ctx = demo_load(today=today, only={"core", "documents", "surveys", "analyses"})
    assert ctx.timeline.today == today
    years = FiscalYear.objects.order_by("year").values_list("year", flat=True)
    first_day, last_day = date(years.first(), 4, 1), date(years.last() + 1, 3, 31)

    before = Survey.objects.get(title="あなたにとってDXとは", round_label="事前")
    after = Survey.objects.get(title="あなたにとってDXとは", round_label="事後")
    assert after.previous_round_id == before.pk

    # The pre-survey closed some weeks ago, before the 5th meeting (about 3 weeks ago).
    assert before.state == Survey.State.CLOSED
    assert before.opens_on < before.closes_on <= today - timedelta(days=28)
    # The second round: after the first, open now or closed in the past.
    assert after.opens_on > before.closes_on
    if after.state == Survey.State.CLOSED:
        assert after.closes_on < today
    else:
        assert after.state == Survey.State.OPEN
        assert after.opens_on <= today <= after.closes_on

    for survey in (before, after):
        assert first_day <= survey.opens_on <= survey.closes_on <= last_day
        for day in (survey.opens_on, survey.closes_on):
            assert ctx.timeline.is_open(day), f"{survey} has a date on a closed day: {day}"
        # Named answers were given while the survey was open, and not after today.
        named = Response.objects.filter(survey=survey, submitted_at__isnull=False)
        assert named.exists()
        for submitted in named.values_list("submitted_at", flat=True):
            assert survey.opens_on <= _local_day(submitted) <= min(survey.closes_on, today)
    end_of_today = timezone.make_aware(datetime.combine(today, time.max))
    assert not Response.objects.filter(submitted_at__gt=end_of_today).exists()
    # Both rounds are analysed, each alone and compared on one scale.
    done = AnalysisRun.objects.filter(
        question__survey__in=[before, after], status=AnalysisRun.Status.DONE
    )
    assert done.filter(earlier_question__isnull=True).count() == 2
    assert done.filter(earlier_question__survey=before, question__survey=after).count() == 1
