"""Results of a survey: per-question charts and tables, the response rate by bureau, who
has not answered (named surveys), cross-tabulations, the comparison with the previous
round, and the responses as CSV or Excel.

Every page's query count is independent of the number of responses: the selectors count
per question, and the exports prefetch the answers per chunk of responses.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kyokan.apps.core import exports, office
from kyokan.apps.core.access import require
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import apply_service_errors, confirm_page, form_page

from .. import charts, exporting, selectors, services
from ..models import LIKERT_LABELS, Question, Response, Survey
from .common import survey_obj

TEXT_ANSWERS_SHOWN = 100
CROSS_TAB_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.LIKERT)
CROSS_TAB_BY = ("department", "role")


def _percent(count: int, n: int) -> float | None:
    return count / n * 100 if n else None


def _count_rows(result: dict) -> list[dict]:
    n = result.get("n") or 0
    return [
        {"label": label, "count": count, "percent": _percent(count, n)}
        for label, count in result.get("rows", [])
    ]


def _question_item(question: Question, result: dict) -> dict:
    item = {"question": question, "result": result, "n": result.get("n") or 0}
    if result.get("suppressed"):
        item["suppressed"] = True
        return item
    if question.kind in charts.CHART_KINDS:
        item["rows"] = _count_rows(result)
        chart = charts.question_chart(question, result)
        item["chart"] = charts.svg(chart, uid=f"chart-q{question.pk}") if chart else ""
    elif question.kind == Question.Kind.TEXT:
        texts = list(result["texts"][:TEXT_ANSWERS_SHOWN])
        item["texts"] = texts
        item["text_total"] = (
            result["texts"].count() if len(texts) == TEXT_ANSWERS_SHOWN else len(texts)
        )
    return item


@require("surveys.view_results", obj=survey_obj)
def results(request, pk: int, obj: Survey):
    rate = selectors.response_rate(obj)
    rate_chart = charts.rate_chart(rate)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": obj,
            "items": [_question_item(q, r) for q, r in selectors.results(obj)],
            "rate": rate,
            "rate_chart": charts.svg(rate_chart, uid="chart-rate") if rate_chart else "",
            "named": _named(obj),
            "can_manage": request.user.has_perm("surveys.manage_surveys", obj),
            "min_group": selectors.MIN_GROUP,
        },
    )


# --- who has not answered -------------------------------------------------------------


def _named(survey: Survey) -> bool:
    """Whether a list of who has not answered can exist (named, addressed to staff)."""
    return not survey.anonymous and survey.audience != Survey.Audience.PUBLIC


@require("surveys.manage_surveys", obj=survey_obj)
def non_respondents(request, pk: int, obj: Survey):
    if not _named(obj):
        raise Http404
    return render(
        request,
        "surveys/rate_non_respondents.html",
        {"survey": obj, "page": paginate(request, selectors.non_respondents_of(obj))},
    )


@require("surveys.manage_surveys", obj=survey_obj)
@require_http_methods(["GET", "POST"])
def remind(request, pk: int, obj: Survey):
    """Remind the audience members who have not answered (confirmed first)."""
    from kyokan.apps.core.viewkit import confirmed

    from ..reminders import unanswered

    return confirmed(
        request,
        lambda: services.survey_remind_now(actor=request.user, survey=obj),
        title=_("Remind those who have not answered?"),
        message=_("%(n)s people of the audience have not answered yet; each is told once today.")
        % {"n": unanswered(obj).count()},
        submit_label=_("Send the reminder"),
        success=_("The reminder was sent."),
        back=reverse("surveys:detail", args=[obj.pk]),
    )


# --- cross-tabulation -------------------------------------------------------------------


@require("surveys.view_results", obj=survey_obj)
def crosstab(request, pk: int, qpk: int, obj: Survey):
    question = get_object_or_404(
        Question.objects.filter(survey=obj, kind__in=CROSS_TAB_KINDS), pk=qpk
    )
    if obj.anonymous:
        # An anonymous survey keeps no bureau or role with the answers.
        return render(
            request,
            "surveys/crosstab.html",
            {"survey": obj, "question": question, "anonymous": True},
        )
    by = request.GET.get("by")
    if by not in CROSS_TAB_BY:
        by = "department"
    table = selectors.cross_tab(question, by)
    if question.kind == Question.Kind.LIKERT:
        labels = [f"{i} {label}" for i, label in enumerate(LIKERT_LABELS, 1)]
    else:
        labels = list(question.choices)
    rows = []
    totals = [0] * len(labels)
    for key, counts, n in table["rows"]:
        rows.append(
            {
                "key": key,
                "n": n,
                "cells": [{"count": c, "percent": _percent(c, n)} for c in counts],
            }
        )
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
    n_total = sum(row["n"] for row in rows)
    return render(
        request,
        "surveys/crosstab.html",
        {
            "survey": obj,
            "question": question,
            "by": by,
            "labels": labels,
            "rows": rows,
            "total": {
                "n": n_total,
                "cells": [{"count": c, "percent": _percent(c, n_total)} for c in totals],
            },
        },
    )


# --- comparison with the previous round ------------------------------------------------


def _change(before, after) -> str:
    """ "+0.6", "−0.3" or "±0.0"."""
    if before is None or after is None:
        return ""
    delta = round(float(after) - float(before), 1)
    if delta == 0:
        return "±0.0"
    return f"{delta:+.1f}".replace("-", "−")


def _compare_item(question: Question, before: dict, after: dict) -> dict:
    item = {
        "question": question,
        "before": before,
        "after": after,
        "n_before": before.get("n") or 0,
        "n_after": after.get("n") or 0,
    }
    if before.get("suppressed") or after.get("suppressed"):
        item["suppressed"] = True  # an anonymous round with fewer than MIN_GROUP answers
        return item
    if question.kind in CROSS_TAB_KINDS:
        earlier = dict(before.get("rows", []))
        later = dict(after.get("rows", []))
        labels = [label for label, _count in after.get("rows", [])]
        labels += [label for label, _count in before.get("rows", []) if label not in later]
        item["rows"] = [
            {
                "label": label,
                "before": earlier.get(label),
                "before_percent": _percent(earlier.get(label, 0), item["n_before"]),
                "after": later.get(label),
                "after_percent": _percent(later.get(label, 0), item["n_after"]),
            }
            for label in labels
        ]
    if question.kind == Question.Kind.LIKERT:
        item["mean_change"] = _change(before.get("mean"), after.get("mean"))
    if question.kind == Question.Kind.NUMBER:
        item["stats"] = [
            (name, before.get(key), after.get(key), _change(before.get(key), after.get(key)))
            for key, name in (
                ("mean", _("mean")),
                ("median", _("median")),
                ("min", _("minimum")),
                ("max", _("maximum")),
            )
        ]
    return item


@require("surveys.view_results", obj=survey_obj)
def compare(request, pk: int, obj: Survey):
    if obj.previous_round is None:
        raise Http404
    rows = selectors.compare_rounds(obj)
    return render(
        request,
        "surveys/compare.html",
        {
            "survey": obj,
            "previous": obj.previous_round,
            "items": [_compare_item(r["question"], r["before"], r["after"]) for r in rows],
            "responses_before": selectors.counted_responses(obj.previous_round),
            "responses_after": selectors.counted_responses(obj),
            "min_group": selectors.MIN_GROUP,
        },
    )


# --- exports ------------------------------------------------------------------------------


def _export_refused(request, survey: Survey, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))
    return redirect("surveys:results", pk=survey.pk)


@require("surveys.view_results", obj=survey_obj)
def export_csv(request, pk: int, obj: Survey):
    try:
        return exporting.csv_response(obj, with_names=exporting.names_allowed(obj, request.user))
    except ValidationError as exc:
        return _export_refused(request, obj, exc)


@require("surveys.view_results", obj=survey_obj)
def export_xlsx(request, pk: int, obj: Survey):
    """Small surveys download at once; large ones are built in the background (core's
    export jobs: a page with the progress and then the download)."""
    try:
        count = exporting.check_exportable(obj)
        if count > exporting.BACKGROUND_XLSX_ROWS:
            job = exports.export_start(
                actor=request.user,
                builder="surveys.responses_xlsx",
                params={"survey": obj.pk},
                title=_("Responses to %(name)s (Excel)") % {"name": obj},
            )
            return redirect(job.get_absolute_url())
        content = exporting.xlsx_bytes(obj, with_names=exporting.names_allowed(obj, request.user))
    except ValidationError as exc:
        return _export_refused(request, obj, exc)
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = office.content_disposition(exporting.filename(obj, "xlsx"))
    return response


# --- voiding a response -------------------------------------------------------------------


class VoidForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("response id"),
        max_length=20,
        help_text=gettext_lazy("As in the first column of the CSV or Excel export."),
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey

    def clean_response(self):
        value = self.cleaned_data["response"].strip()
        found = None
        if value.isdigit() and len(value) <= 19:
            found = Response.objects.filter(survey=self.survey, pk=int(value)).first()
        if found is None:
            raise ValidationError(_("No response of this survey has this id."))
        if found.voided_at is not None:
            raise ValidationError(_("These answers are already voided."))
        self.found = found
        return value


@require("surveys.manage_surveys", obj=survey_obj)
@require_http_methods(["GET", "POST"])
def response_void(request, pk: int, obj: Survey):
    """Void one response (with a reason, after a confirmation): it stays stored, marked,
    and is left out of results, exports and analyses."""
    data = request.POST if request.method == "POST" else None
    form = VoidForm(data, survey=obj, initial={"response": request.GET.get("response", "")})
    title = _("Void a response: %(name)s") % {"name": obj}
    back = reverse("surveys:results", args=[obj.pk])
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "1":
            try:
                services.response_void(
                    actor=request.user, response=form.found, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The response was voided."))
                return redirect(back)
        else:
            answers = form.found.answers.count()
            return confirm_page(
                request,
                title=title,
                message=_(
                    "Response %(id)s (%(n)s answers) will no longer count in results, "
                    "exports and analyses. Reason: %(reason)s"
                )
                % {
                    "id": form.found.pk,
                    "n": answers,
                    "reason": form.cleaned_data["reason"],
                },
                submit_label=_("Void the response"),
                danger=True,
                cancel_url=back,
                hidden={
                    "response": form.cleaned_data["response"],
                    "reason": form.cleaned_data["reason"],
                    "confirmed": "1",
                },
            )
    return form_page(
        request,
        form,
        title=title,
        intro=_(
            "A voided response is kept, marked with the reason, and left out of results, "
            "exports and analyses; the respondent cannot change it any more."
        ),
        submit_label=_("Next"),
        cancel_url=back,
    )


urlpatterns = [
    path("surveys/<int:pk>/results/", results, name="results"),
    path("surveys/<int:pk>/non-respondents/", non_respondents, name="non_respondents"),
    path("surveys/<int:pk>/crosstab/<int:qpk>/", crosstab, name="crosstab"),
    path("surveys/<int:pk>/compare/", compare, name="compare"),
    path("surveys/<int:pk>/export.csv", export_csv, name="export_csv"),
    path("surveys/<int:pk>/export.xlsx", export_xlsx, name="export_xlsx"),
    path("surveys/<int:pk>/void/", response_void, name="void"),
    path("surveys/<int:pk>/remind/", remind, name="remind"),
]
