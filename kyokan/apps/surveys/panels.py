from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel
from kyokan.apps.core.mywork import WorkItem, WorkSource, register_work

from . import selectors


def _open(user) -> dict:
    surveys = selectors.open_for(user)
    return {
        "surveys": surveys,
        "answered": selectors.answered_by(surveys, user),
    }


def _to_answer(user, limit: int) -> list[WorkItem]:
    """Open surveys addressed to the person that they have not answered, with the closing
    date (never a public-link survey: that one is for the public)."""
    return [
        WorkItem(
            title=str(survey),
            url=reverse("surveys:answer", args=[survey.pk]),
            what=str(_("Answer")),
            deadline=survey.closes_on,
        )
        for survey in selectors.to_answer(user, limit=limit)
    ]


def register() -> None:
    register_nav(30, "surveys:list", _("Surveys"), "surveys.view_surveys")
    register_panel(
        Panel("surveys.open", "surveys/panels/open.html", "surveys.view_surveys", _open, 8)
    )
    register_work(
        WorkSource("surveys.answer", _("Surveys for you"), "surveys.view_surveys", _to_answer, 30)
    )
