"""The quarterly progress cycle: a prefilled form, submission, review (accept / return),
correction and resubmission, comments, closed quarters refused, the missing list and the
reminder to the bureaus' 推進員."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.models import Notification
from kyokan.apps.portfolio import periods, selectors, services
from kyokan.apps.portfolio.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_quarters_of_the_fiscal_year():
    assert periods.quarter_of(date(2023, 4, 1)) == (2023, 1)
    assert periods.quarter_of(date(2023, 12, 31)) == (2023, 3)
    assert periods.quarter_of(date(2024, 3, 31)) == (2023, 4)
    assert periods.quarter_range(2023, 4) == (date(2024, 1, 1), date(2024, 3, 31))
    assert periods.report_deadline(2023, 1) == date(2023, 7, 31)  # 30 June + 31 days
    assert periods.collecting_quarter(date(2023, 7, 15)) == (2023, 1)
    assert periods.collecting_quarter(date(2023, 8, 1)) == (2023, 2)


def _report(actor, initiative, fy, q, **overrides):
    fields = {"percent_done": 40, "health": "good", "happened": "電子申請を3手続追加"}
    fields.update(overrides)
    return services.report_submit(actor=actor, initiative=initiative, fiscal_year=fy,
                                  quarter=q, **fields)  # fmt: skip


def test_a_closed_or_future_quarter_is_refused(people, make_initiative, bureau):
    initiative = make_initiative(bureau)
    fy, q = periods.quarter_of(timezone.localdate())
    closed = periods.previous_quarter(*periods.previous_quarter(fy, q))
    with pytest.raises(ValidationError) as info:
        _report(people["promoter"], initiative, *closed)
    assert "quarter" in info.value.message_dict
    with pytest.raises(ValidationError):
        _report(people["promoter"], initiative, *periods.next_quarter(fy, q))
    assert not ProgressReport.objects.exists()
    _report(people["promoter"], initiative, fy, q)  # the running quarter is open
    with pytest.raises(ValidationError):  # once per quarter
        _report(people["promoter"], initiative, fy, q)


def test_the_cycle_submit_return_correct_accept(client_as, people, make_initiative, bureau):
    initiative = make_initiative(bureau)
    kpi = services.kpi_create(
        actor=people["secretariat"], initiative=initiative, name="オンライン申請率", unit="%",
        direction="up", baseline=Decimal("10"), baseline_year=initiative.fiscal_year_start,
    )  # fmt: skip
    fy, q = periods.quarter_of(timezone.localdate())
    # An earlier report (written as the demo does, on its own day) prefills the form.
    prev = periods.previous_quarter(fy, q)
    start, _end = periods.quarter_range(*prev)
    services.report_submit(
        actor=people["promoter"], initiative=initiative, fiscal_year=prev[0], quarter=prev[1],
        percent_done=30, health="caution", happened="前期の実績", issues="人手不足",
        actuals={kpi: (Decimal("20"), "庁内集計")}, today=start + timedelta(days=10),
    )  # fmt: skip
    client = client_as("promoter")
    page = client.get(reverse("portfolio:report_create", args=[initiative.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["happened"] == "前期の実績" and form.initial["issues"] == "人手不足"
    assert form.initial[f"kpi_{kpi.pk}"] == Decimal("20")
    response = client.post(
        reverse("portfolio:report_create", args=[initiative.pk]),
        {"period": f"{fy}-{q}", "percent_done": "50", "health": "good", "happened": "今期の実績",
         f"kpi_{kpi.pk}": "25", f"kpi_{kpi.pk}_source": "庁内集計"},
    )  # fmt: skip
    report = ProgressReport.objects.get(fiscal_year=fy, quarter=q)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert kpi.actuals.get(fiscal_year=fy, quarter=q).value == Decimal("25")

    # An HQ member comments; staff may not.
    hq = client_as("hq_member")
    hq.post(reverse("portfolio:report_comment", args=[report.pk]), {"body": "期待しています"})
    assert report.comments.get().body == "期待しています"
    staff = client_as("staff")
    assert (
        staff.post(reverse("portfolio:report_comment", args=[report.pk]), {"body": "x"}).status_code
        == 403
    )

    # The secretariat returns it: a comment is required, the submitter is told.
    secretariat = client_as("secretariat")
    url = reverse("portfolio:report_review", args=[report.pk])
    refused = secretariat.post(url, {"decision": "return", "comment": ""})
    assert refused.status_code == 200 and refused.context["form"].errors
    secretariat.post(url, {"decision": "return", "comment": "KPIの出典を補足してください"})
    report.refresh_from_db()
    assert report.state == "returned"
    assert Notification.objects.filter(
        recipient=people["promoter"], kind="portfolio.report_returned"
    ).exists()
    # Returned counts as missing; the promoter corrects and submits again.
    assert initiative in selectors.missing_reports(fy, q)
    client = client_as("promoter")
    client.post(
        reverse("portfolio:report_create", args=[initiative.pk]),
        {"period": f"{fy}-{q}", "percent_done": "55", "health": "good", "happened": "補足済み"},
    )
    report.refresh_from_db()
    assert (report.state, report.percent_done) == ("submitted", 55)
    client_as("secretariat").post(url, {"decision": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.state == "accepted"
    assert initiative not in selectors.missing_reports(fy, q)


def test_a_returned_report_of_a_closed_quarter_can_still_be_corrected(people, make_initiative,
                                                                      bureau):  # fmt: skip
    initiative = make_initiative(bureau)
    fy, q = periods.quarter_of(timezone.localdate())
    old = periods.previous_quarter(*periods.previous_quarter(fy, q))
    start, _ = periods.quarter_range(*old)
    report = _report(people["promoter"], initiative, *old, today=start)
    services.report_review(actor=people["secretariat"], report=report, accept=False,
                           comment="再提出してください")  # fmt: skip
    again = _report(people["promoter"], initiative, *old, happened="修正しました")
    assert again.pk == report.pk and again.state == "submitted"


def test_the_missing_list_and_the_reminder(client_as, people, make_initiative, bureau,
                                           other_bureau):  # fmt: skip
    fy, q = periods.collecting_quarter(timezone.localdate())
    owing = make_initiative(bureau, title="未報告の取組")
    done = make_initiative(other_bureau, title="報告済の取組")
    make_initiative(bureau, title="構想中", status="concept")  # owes nothing
    start, _ = periods.quarter_range(fy, q)
    _report(people["secretariat"], done, fy, q, today=start)
    assert list(selectors.missing_reports(fy, q)) == [owing]
    page = client_as("secretariat").get(reverse("portfolio:missing"))
    assert page.status_code == 200 and "未報告の取組" in page.content.decode()
    assert "報告済の取組" not in page.content.decode()
    key = "test-reminder"
    told = services.missing_reports_remind(actor=people["secretariat"], fiscal_year=fy,
                                           quarter=q, dedupe_key=key)  # fmt: skip
    assert told == 1
    note = Notification.objects.get(kind="portfolio.report_due")
    assert note.recipient == people["promoter"]
    # A second run under the same key tells nobody twice.
    assert services.missing_reports_remind(actor=people["secretariat"], fiscal_year=fy,
                                           quarter=q, dedupe_key=key) == 0  # fmt: skip
    # The promoter's "my work" lists the report to submit.
    from kyokan.apps.core.mywork import work_for

    groups = {g["key"]: g for g in work_for(people["promoter"])}
    assert [i.title for i in groups["portfolio.reports"]["items"]] == ["未報告の取組"]


@pytest.mark.parametrize("body", ["   ", "長" * 2001, "x\x00y"])
def test_a_refused_comment_on_a_report_keeps_what_was_typed(client_as, people, make_initiative,
                                                             bureau, body):  # fmt: skip
    """A comment too long (or empty, or holding a NUL) is refused on the report's page with
    the text as typed; it redirected to the page and the text was lost."""
    report = _report(people["promoter"], make_initiative(bureau),
                     *periods.quarter_of(timezone.localdate()))  # fmt: skip
    client = client_as("hq_member")
    response = client.post(reverse("portfolio:report_comment", args=[report.pk]), {"body": body})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errorlist' in page
    if body.strip() and "\x00" not in body:
        assert body in page
    assert not report.comments.exists()
