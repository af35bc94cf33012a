"""Surveys: preparing them, opening and closing, and answering (signed in or by public link)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyokan.apps.core import ratelimit
from kyokan.apps.core.access import public, require
from kyokan.apps.core.clientip import client_address
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import act, apply_service_errors, confirm_page, submit

from .. import selectors, services
from ..forms import AnswerForm, EditCodeForm, QuestionForm, SurveyForm
from ..models import Survey
from .common import question_obj, survey_obj, survey_url

PUBLIC_SUBMISSIONS_PER_HOUR = 20


@require("surveys.view_surveys")
def survey_list(request):
    surveys = selectors.surveys_for(request.user)
    return render(
        request,
        "surveys/survey_list.html",
        {"page": paginate(request, surveys), "open_for_me": selectors.open_for(request.user)},
    )


@require("surveys.manage_surveys")
@require_http_methods(["GET", "POST"])
def survey_create(request):
    form = SurveyForm(request.POST or None)
    return submit_once(
        request,
        form,
        save=lambda data: services.survey_create(actor=request.user, **data),
        success=_("The survey was created; add its questions."),
        next_url=survey_url,
        title=_("New survey"),
        intro=_("A later round repeats the questions of the earlier survey you choose."),
        cancel_url=reverse("surveys:list"),
    )


@require("surveys.view_surveys", obj=survey_obj)
def survey_detail(request, pk: int, obj: Survey):
    if not selectors.can_see(obj, request.user):
        raise Http404
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": obj,
            "questions": obj.questions.order_by("order", "id"),
            "can_answer": services.accepting_answers(obj)
            and services.is_in_audience(obj, request.user),
            "my_response": selectors.has_answered(obj, request.user),
            "public_url": request.build_absolute_uri(
                reverse("surveys:public_answer", args=[obj.public_token])
            ),
        },
    )


@require("surveys.manage_surveys", obj=survey_obj)
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk: int, obj: Survey):
    form = SurveyForm(request.POST or None, instance=obj)
    return submit(
        request,
        form,
        save=lambda data: services.survey_update(actor=request.user, survey=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: survey_url(obj),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=survey_url(obj),
    )


@require("surveys.manage_surveys", obj=survey_obj)
@require_http_methods(["GET", "POST"])
def survey_state(request, pk: int, action: str, obj: Survey):
    actions = {
        "open": (services.survey_open, _("Open the survey"), _("The survey is open.")),
        "close": (services.survey_close, _("Close the survey"), _("The survey is closed.")),
    }
    if action not in actions:
        raise Http404
    service, label, done = actions[action]
    if request.method == "POST":
        return act(
            request,
            lambda: service(actor=request.user, survey=obj),
            success=done,
            next_url=survey_url(obj),
            error_url=survey_url(obj),
        )
    return confirm_page(
        request,
        title=f"{label}: {obj}",
        message=_("Questions cannot be changed once the survey is open.")
        if action == "open"
        else _("Nobody can answer or change answers after it closes."),
        submit_label=label,
        cancel_url=survey_url(obj),
    )


@require("surveys.manage_surveys", obj=survey_obj)
@require_http_methods(["GET", "POST"])
def question_create(request, pk: int, obj: Survey):
    form = QuestionForm(request.POST or None)
    return submit_once(
        request,
        form,
        save=lambda _data: services.question_create(
            actor=request.user, survey=obj, **form.data_for_service()
        ),
        success=_("The question was added."),
        next_url=lambda _q: survey_url(obj),
        title=_("Add a question to %(name)s") % {"name": obj},
        cancel_url=survey_url(obj),
    )


@require("surveys.manage_surveys", obj=question_obj)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, obj):
    form = QuestionForm(request.POST or None, instance=obj)
    return submit(
        request,
        form,
        save=lambda _data: services.question_update(
            actor=request.user, question=obj, **form.data_for_service()
        ),
        success=_("The question was saved."),
        next_url=lambda _r: survey_url(obj.survey),
        title=_("Edit the question"),
        cancel_url=survey_url(obj.survey),
    )


@require("surveys.manage_surveys", obj=question_obj)
@require_http_methods(["GET", "POST"])
def question_delete(request, pk: int, obj):
    back = survey_url(obj.survey)
    if request.method == "POST":
        return act(
            request,
            lambda: services.question_delete(actor=request.user, question=obj),
            success=_("The question was deleted."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Delete the question “%(name)s”") % {"name": obj},
        message=_("This cannot be undone."),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=back,
    )


def edit_code_cookie(survey: Survey) -> str:
    return f"kyokan_survey_{survey.pk}"


def _keep_edit_code(request, response, survey: Survey, code: str) -> None:
    """The edit code lives only in the respondent's browser (a cookie until the survey
    closes) and on the screen: never in the session or anywhere on the server."""
    days = max((survey.closes_on - timezone.localdate()).days + 1, 1)
    response.set_cookie(
        edit_code_cookie(survey),
        services.normalize_edit_code(code),
        max_age=days * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _answer(request, survey: Survey, *, user=None, visitor=None, template: str, refusal: str = ""):
    """The answering page; ``refusal`` (a message) refuses a POST before anything is saved
    and shows the form again with what was typed."""
    questions = survey.questions.order_by("order", "id")
    code = request.COOKIES.get(edit_code_cookie(survey)) if survey.anonymous else None
    step = request.POST.get("step") if request.method == "POST" else None
    code_form = EditCodeForm(request.POST if step == "code" else None)
    if step == "code" and code_form.is_valid():
        typed = code_form.cleaned_data["edit_code"]
        if selectors.my_response(survey, user, edit_code=typed) is not None:
            response = redirect(request.path)
            _keep_edit_code(request, response, survey, typed)
            return response
        code_form.add_error(
            "edit_code", _("This edit code does not match any answers to this survey.")
        )
    existing = selectors.my_response(survey, user, edit_code=code)
    if existing is None:
        code = None  # a code from an old cookie that matches nothing
    answered = existing is not None or selectors.has_answered(survey, user, visitor=visitor)
    # An anonymous respondent who has answered changes the answers only with their code.
    locked = survey.anonymous and answered and existing is None
    voided = existing is not None and existing.voided_at is not None
    form = AnswerForm(
        request.POST if step != "code" and request.method == "POST" else None,
        questions=questions,
        initial_answers={a.question_id: a for a in existing.answers.all()} if existing else None,
    )
    sending = step != "code" and request.method == "POST" and not locked and not voided
    if refusal:
        if sending:
            form.is_valid()  # the typed answers are shown again, with their own errors
            form.add_error(None, refusal)
        else:
            code_form.add_error(None, refusal)
        sending = False
    if sending and form.is_valid():
        try:
            saved = services.response_save(
                survey=survey,
                answers=form.raw_answers(),
                user=user,
                visitor=visitor,
                edit_code=code,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your answers were saved."))
            response = redirect(request.path)
            if saved.edit_code:
                _keep_edit_code(request, response, survey, saved.edit_code)
            return response
    return render(
        request,
        template,
        {
            "survey": survey,
            "form": form,
            "accepting": services.accepting_answers(survey),
            "answered": answered,
            "locked": locked,
            "voided": voided,
            "void_reason": existing.void_reason if voided else "",
            "edit_code": code,
            "code_form": code_form,
        },
    )


@require("surveys.view_surveys", obj=survey_obj)
@require_http_methods(["GET", "POST"])
def answer(request, pk: int, obj: Survey):
    if obj.state == Survey.State.DRAFT or not services.is_in_audience(obj, request.user):
        if not selectors.can_see(obj, request.user):
            raise Http404
        raise PermissionDenied
    return _answer(request, obj, user=request.user, template="surveys/answer.html")


@public
@require_http_methods(["GET", "POST"])
def public_answer(request, token: str):
    """A public survey by its link: one response per browser session, and at most
    PUBLIC_SUBMISSIONS_PER_HOUR submissions per address per hour."""
    survey = get_object_or_404(
        Survey, public_token=token, audience=Survey.Audience.PUBLIC, state__in=["open", "closed"]
    )
    refusal = ""
    if request.method == "POST" and not ratelimit.hit(
        f"survey-public:{survey.pk}",
        client_address(request),
        limit=PUBLIC_SUBMISSIONS_PER_HOUR,
        window=3600,
    ):
        # Nothing is saved, and the answers typed are shown again (a redirect lost them).
        refusal = _("Too many answers from this address; try again later.")
    if not request.session.session_key:
        request.session.save()
    response = _answer(
        request, survey, visitor=request.session.session_key, template="surveys/answer.html",
        refusal=refusal,
    )  # fmt: skip
    if refusal:
        response.status_code = 429
    return response


urlpatterns = [
    path("surveys/", survey_list, name="list"),
    path("surveys/new/", survey_create, name="create"),
    path("surveys/<int:pk>/", survey_detail, name="detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="edit"),
    path("surveys/<int:pk>/state/<str:action>/", survey_state, name="state"),
    path("surveys/<int:pk>/questions/new/", question_create, name="question_create"),
    path("survey-questions/<int:pk>/edit/", question_edit, name="question_edit"),
    path("survey-questions/<int:pk>/delete/", question_delete, name="question_delete"),
    path("surveys/<int:pk>/answer/", answer, name="answer"),
    path("s/<str:token>/", public_answer, name="public_answer"),
]
