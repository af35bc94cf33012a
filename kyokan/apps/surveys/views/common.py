from django.shortcuts import get_object_or_404
from django.urls import reverse

from ..models import Question, Survey


def survey_obj(pk: int, **_kwargs) -> Survey:
    return get_object_or_404(Survey.objects.select_related("previous_round"), pk=pk)


def question_obj(pk: int, **_kwargs) -> Question:
    return get_object_or_404(Question.objects.select_related("survey"), pk=pk)


def survey_url(survey) -> str:
    return reverse("surveys:detail", args=[survey.pk])
