"""Telling a survey's audience (issue 10, item 2), through core's notification service:

- when a survey opens, its audience (staff audiences only: a public-link survey is for the
  public and is never announced to staff as theirs);
- a reminder to those who have not answered yet, sent by the secretariat from the survey's
  page, or scheduled by ``kyokan send-reminders`` two days before the survey closes.

Who has answered is what the survey itself stores: the respondents of a named survey, the
participations of an anonymous one (never its answers). Every reminder carries a dedupe key,
so nobody is told the same reminder twice.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.models import User
from kyokan.apps.core.notifications import Message, notify, register_kind, register_reminder

from . import selectors
from .models import Participation, Response, Survey

OPENED = "surveys.opened"
REMINDER = "surveys.reminder"
CLOSING_AHEAD_DAYS = 2


def _day(d) -> str:
    lang = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    return japanese_dates.wareki_date(d, lang=lang)


def unanswered(survey: Survey):
    """The audience of a staff survey who have not answered (named or anonymous)."""
    if survey.audience == Survey.Audience.PUBLIC:
        return User.objects.none()
    answered = Participation.objects.filter(survey=survey, user__isnull=False).values("user")
    named = Response.objects.filter(survey=survey, respondent__isnull=False).values("respondent")
    return (
        User.objects.filter(pk__in=selectors.audience_people(survey).values("pk"))
        .exclude(pk__in=answered)
        .exclude(pk__in=named)
    )


def survey_opened_notify(*, actor, survey: Survey) -> int:
    if survey.audience == Survey.Audience.PUBLIC:
        return 0

    def message():
        return Message(
            subject=_("Survey: %(title)s") % {"title": survey.title},
            text=_("Please answer by %(date)s.") % {"date": _day(survey.closes_on)},
        )

    return notify(
        actor=actor,
        recipients=selectors.audience_people(survey),
        kind=OPENED,
        message=message,
        link=reverse("surveys:answer", args=[survey.pk]),
        target=survey,
        dedupe_key=f"survey-opened:{survey.pk}",
    ).notified


def survey_remind(*, actor, survey: Survey, dedupe_key: str) -> int:
    """Remind those who have not answered; returns how many were told."""
    if survey.state != Survey.State.OPEN:
        return 0

    def message():
        return Message(
            subject=_("Reminder: %(title)s") % {"title": survey.title},
            text=_("You have not answered yet. The survey closes on %(date)s.")
            % {"date": _day(survey.closes_on)},
        )

    return notify(
        actor=actor,
        recipients=unanswered(survey),
        kind=REMINDER,
        message=message,
        link=reverse("surveys:answer", args=[survey.pk]),
        target=survey,
        dedupe_key=dedupe_key,
    ).notified


def closing_soon_remind(*, now=None) -> int:
    today = timezone.localdate(now)
    closing = Survey.objects.filter(
        state=Survey.State.OPEN,
        closes_on__gte=today,
        closes_on__lte=today + timedelta(days=CLOSING_AHEAD_DAYS),
    ).exclude(audience=Survey.Audience.PUBLIC)
    return sum(
        survey_remind(actor=None, survey=s, dedupe_key=f"survey-closing:{s.pk}") for s in closing
    )


def register() -> None:
    register_kind(OPENED, gettext_lazy("A survey for you opens"))
    register_kind(REMINDER, gettext_lazy("Reminder to answer a survey"))
    register_reminder("surveys.closing", closing_soon_remind)
