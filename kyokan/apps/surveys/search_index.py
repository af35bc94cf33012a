"""What surveys put in the site search (core.search): each survey with its title, purpose
and questions, found by those who may see the survey (``selectors.can_see``: those who run
surveys, those who read results once it opened, its audience once it opened). The services
call :func:`survey_put` after they write; ``kyokan search-reindex`` rebuilds from
:func:`_source`.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.search import SearchKind, index_put, register_search_kind

from .models import Survey

SURVEYS = "surveys.survey"


def _text(survey: Survey, questions) -> tuple[str, str]:
    lines = [survey.purpose, survey.round_label]
    for q in questions:
        lines += [q.text, q.help_text]
    return survey.title, "\n".join(line for line in lines if line)


def survey_put(survey: Survey) -> None:
    title, body = _text(survey, survey.questions.order_by("order", "id"))
    index_put(
        kind=SURVEYS,
        object_id=survey.pk,
        title=title,
        body=body,
        url=reverse("surveys:detail", args=[survey.pk]),
    )


def _source():
    for survey in Survey.objects.prefetch_related("questions").order_by("pk").iterator(500):
        questions = sorted(survey.questions.all(), key=lambda q: (q.order, q.pk))
        title, body = _text(survey, questions)
        yield survey.pk, title, body, reverse("surveys:detail", args=[survey.pk])


def _visible(user, ids: list[str]) -> set[str]:
    from .selectors import can_see

    pks = [int(i) for i in ids if i.isdigit()]
    surveys = Survey.objects.filter(pk__in=pks).prefetch_related("departments")
    return {str(s.pk) for s in surveys if can_see(s, user)}


def register() -> None:
    register_search_kind(
        SearchKind(
            SURVEYS, _("Surveys"), "surveys.view_surveys", visible=_visible, source=_source,
            order=40,
        )
    )  # fmt: skip
