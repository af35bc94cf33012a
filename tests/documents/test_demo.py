"""The demo's documents are true to its timeline (issue 9, item 17): loaded on different
days, no adoption comes before its meeting or from a meeting not held, every adoption is
recorded among a held deciding meeting's decisions with the version on its agenda, the DX
definition is still being consulted (the 6th and 7th meetings decide it), and every date
lies within the demo's fiscal years."""

from datetime import date

import pytest
from django.utils import timezone

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.demo import demo_load
from kyokan.apps.documents.models import DocumentKind, RevisionStep, Version
from kyokan.apps.meetings.models import AgendaLink, Decision, Meeting


def _next(month: int, day: int) -> date:
    """The next such day from the real today (the services refuse what would be past)."""
    real = timezone.localdate()
    candidate = date(real.year, month, day)
    return candidate if candidate >= real else date(real.year + 1, month, day)


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["today", "late March", "early April"])
def test_the_demo_documents_keep_to_the_calendar(when):
    today = {
        "today": timezone.localdate(),
        "late March": _next(3, 25),  # the end of a fiscal year
        "early April": _next(4, 2),  # the start of one
    }[when]
    ctx = demo_load(today, only={"core", "documents", "meetings"})  # meetings adopt
    tl = ctx.timeline
    first = japanese_dates.fiscal_year_range(min(tl.fiscal_years))[0]
    last = japanese_dates.fiscal_year_range(max(tl.fiscal_years))[1]
    adopted = list(Version.objects.filter(adopted_on__isnull=False).select_related("document"))
    assert adopted, "the demo has an adopted strategy"
    for version in adopted:
        assert version.adopted_on <= today and version.adopted_on <= timezone.localdate()
        assert version.adopted_by_type == "meetings.meeting"
        meeting = Meeting.objects.select_related("series").get(pk=version.adopted_by_id)
        assert meeting.status == Meeting.Status.HELD and meeting.series.is_deciding
        assert timezone.localtime(meeting.starts_at).date() == version.adopted_on
        assert meeting.starts_at <= timezone.now()
        assert AgendaLink.objects.filter(
            item__meeting=meeting, target_type="documents.version", target_id=str(version.pk)
        ).exists()
        assert Decision.objects.filter(
            meeting=meeting, target_type="documents.version", target_id=str(version.pk)
        ).exists()
        assert "案" not in version.label
        assert first <= version.adopted_on <= last
    strategy = Version.objects.get(document__title="デジタル強靱化戦略", number=1)
    assert strategy.state == Version.State.SUPERSEDED or strategy.state == Version.State.ADOPTED
    assert japanese_dates.fiscal_year_of(strategy.adopted_on) < tl.fiscal_year
    assert (
        japanese_dates.fiscal_year_label(
            japanese_dates.fiscal_year_of(strategy.adopted_on), with_western=False
        )
        in strategy.label
    )
    # The definition is being drafted and consulted; nothing claims it was decided.
    definition = Version.objects.get(document__kind=DocumentKind.DX_DEFINITION)
    assert definition.state == Version.State.CONSULTATION and definition.adopted_on is None
    for version in Version.objects.filter(state=Version.State.CONSULTATION):
        assert today <= version.comment_deadline <= last
    for step in RevisionStep.objects.all():
        assert first <= step.due_date <= last, step.title
        if step.status == RevisionStep.Status.DONE:
            assert step.due_date <= today, step.title
        else:
            assert step.due_date >= today, step.title
    # The revision plan's steps are in the seed's order, in the current fiscal year.
    plan = list(RevisionStep.objects.filter(document__title="デジタル強靱化戦略").order_by("order"))
    assert [s.title for s in plan] == [
        "事務局案の整理",
        "デジタル化推進チームでの議論",
        "第6回本部会議で議論",
        "第7回本部会議で議論",
        "年度内に確定",
    ]
    assert [s.due_date for s in plan] == sorted(s.due_date for s in plan)
    # Adopted within the fiscal year of the 7th meeting.
    year_of_seventh = japanese_dates.fiscal_year_of(plan[3].due_date)
    assert plan[4].due_date == japanese_dates.fiscal_year_range(year_of_seventh)[1]
