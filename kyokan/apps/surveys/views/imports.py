"""Importing responses from a CSV file made by another form tool, in three steps on one URL:

1. upload the file (at most 5 MB; UTF-8, UTF-8 with BOM, UTF-16 with BOM or CP932);
2. choose the column of each question, and optionally of the bureau and the role;
3. import, in the background (``kyokan db_worker``): the import's own page shows its
   progress (htmx, or a refresh without JavaScript), then how many responses were imported
   or — if any row has a problem — that none were, with the problems listed.

Between the steps the decoded text is kept in the database (``ImportUpload``, owned by the
person, at most one per survey and person) and only its random id in the session; it is
deleted after the import, when the person starts again, or when it expires (2 hours).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require
from kyokan.apps.core.viewkit import apply_service_errors

from .. import importing
from ..models import ImportBatch, Question, Survey
from .common import survey_obj, survey_url

PREVIEW_ROWS = 5
ERRORS_SHOWN = 50
DEPARTMENT_HEADINGS = {"bureau", "department", "部局", "所属", "部署", "所属部局"}
ROLE_HEADINGS = {"role", "役割", "職種"}


# --- keeping the file between the steps ------------------------------------------------


def _session_key(survey: Survey) -> str:
    return f"surveys:import:{survey.pk}"


def _stash(request, survey: Survey, name: str, text: str) -> None:
    upload = importing.import_upload_keep(actor=request.user, survey=survey, name=name, text=text)
    request.session[_session_key(survey)] = str(upload.pk)


def _unstash(request, survey: Survey):
    upload = importing.import_upload_get(
        actor=request.user, survey=survey, upload_id=request.session.get(_session_key(survey))
    )
    if upload is None:
        request.session.pop(_session_key(survey), None)
    return upload


def _discard(request, survey: Survey) -> None:
    importing.import_upload_discard(actor=request.user, survey=survey)
    request.session.pop(_session_key(survey), None)


# --- forms ------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "One row per response, the first row naming the columns. At most %(limit)s; "
            "UTF-8 or Shift_JIS (as Excel saves CSV)."
        ) % {"limit": filesizeformat(importing.MAX_IMPORT_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.text, self.table = importing.read_upload(upload)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return upload


def _normal(text: str) -> str:
    return importing.normalize(text).casefold()


def _guess(header: list[str], wanted: set[str]) -> str:
    for i, title in enumerate(header):
        if _normal(title) in wanted:
            return str(i)
    return ""


def _guess_question(header: list[str], question: Question) -> str:
    text = _normal(question.text)
    for i, title in enumerate(header):
        if _normal(title) == text:
            return str(i)
    if len(text) >= 4:
        for i, title in enumerate(header):
            if text in _normal(title):
                return str(i)
    return ""


class MappingForm(forms.Form):
    """One choice of column per question, and for the bureau and the role."""

    def __init__(self, *args, questions, header, anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.anonymous = anonymous
        columns = [("", _("— not imported —"))] + [
            (str(i), importing.column_label(i, header)) for i in range(len(header))
        ]
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=columns,
                required=False,
                help_text=(
                    _("%(kind)s; must be answered in every row")
                    % {"kind": question.get_kind_display()}
                    if question.required
                    else question.get_kind_display()
                ),
                initial=_guess_question(header, question),
            )
        self.fields["department_column"] = forms.ChoiceField(
            label=_("Bureau"),
            choices=columns,
            required=False,
            help_text=_("Matched with the names of bureaus and divisions."),
            initial=_guess(header, DEPARTMENT_HEADINGS | {_normal(_("bureau"))}),
        )
        self.fields["role_column"] = forms.ChoiceField(
            label=_("Role"),
            choices=columns,
            required=False,
            help_text=_("Matched with role names such as 職員 or 推進員."),
            initial=_guess(header, ROLE_HEADINGS | {_normal(_("role"))}),
        )
        if anonymous:  # an anonymous survey keeps no bureau or role
            del self.fields["department_column"], self.fields["role_column"]

    @staticmethod
    def _column(value: str) -> int | None:
        return int(value) if value not in (None, "") else None

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"q{q.pk}") for q in self.questions):
            raise ValidationError(_("Choose the column of at least one question."))
        return cleaned

    def column_map(self) -> importing.ColumnMap:
        data = self.cleaned_data
        return importing.ColumnMap(
            questions={q.pk: self._column(data.get(f"q{q.pk}")) for q in self.questions},
            department=None if self.anonymous else self._column(data.get("department_column")),
            role=None if self.anonymous else self._column(data.get("role_column")),
        )


# --- the view ---------------------------------------------------------------------------


def _upload_page(request, survey: Survey, form: UploadForm):
    return render(request, "surveys/import_upload.html", {"survey": survey, "form": form})


def _mapping_page(request, survey, name, table, form):
    return render(
        request,
        "surveys/import_map.html",
        {
            "survey": survey,
            "file_name": name,
            "header": [importing.column_label(i, table.header) for i in range(len(table.header))],
            "preview": table.rows[:PREVIEW_ROWS],
            "row_count": sum(1 for row in table.rows if any(c.strip() for c in row)),
            "form": form,
        },
    )


@require("surveys.manage_surveys", obj=survey_obj)
@require_http_methods(["GET", "POST"])
def import_responses(request, pk: int, obj: Survey):
    if obj.state == Survey.State.DRAFT:
        messages.error(request, _("Responses can be imported once the survey has opened."))
        return redirect(survey_url(obj))
    here = reverse("surveys:import", args=[obj.pk])
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "discard":
        _discard(request, obj)
        return redirect(here)
    if step == "upload":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            _stash(request, obj, form.cleaned_data["file"].name, form.text)
            return redirect(here)
        return _upload_page(request, obj, form)
    upload = _unstash(request, obj)
    if upload is None:
        if step == "import":
            messages.error(request, _("The uploaded file was not kept; upload it again."))
            return redirect(here)
        return _upload_page(request, obj, UploadForm())
    table = importing.parse(upload.text)
    questions = obj.questions.order_by("order", "id")
    form = MappingForm(
        request.POST if step == "import" else None,
        questions=questions,
        header=table.header,
        anonymous=obj.anonymous,
    )
    if step == "import" and form.is_valid():
        try:
            batch = importing.import_start(
                actor=request.user, survey=obj, upload=upload, mapping=form.column_map()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("surveys:import_status", pk=obj.pk, batch=batch.pk)
    return _mapping_page(request, obj, upload.name, table, form)


def _batch(pk: int, batch: int, **_kwargs):
    return get_object_or_404(
        ImportBatch.objects.select_related("survey", "created_by"), pk=batch, survey=pk
    )


def _status_context(batch: ImportBatch) -> dict:
    return {
        "survey": batch.survey,
        "batch": batch,
        "percent": round(batch.progress * 100),
        "row_errors": [
            {"row": row, "question": question, "message": message}
            for row, question, message in batch.errors[:ERRORS_SHOWN]
        ],
        "more_errors": batch.error_count > min(len(batch.errors), ERRORS_SHOWN),
    }


@require("surveys.manage_surveys", obj=_batch)
def import_status(request, pk: int, batch: int, obj: ImportBatch):
    """The import's page: its progress while it runs (the htmx fragment below, or a
    refresh without JavaScript), then its outcome."""
    return render(request, "surveys/import_status.html", _status_context(obj))


@require("surveys.manage_surveys", obj=_batch)
def import_progress(request, pk: int, batch: int, obj: ImportBatch):
    """The progress fragment, polled by htmx while the import runs."""
    response = render(request, "surveys/partials/import_progress.html", _status_context(obj))
    if not obj.running:
        response["HX-Refresh"] = "true"
    return response


urlpatterns = [
    path("surveys/<int:pk>/import/", import_responses, name="import"),
    path("surveys/<int:pk>/imports/<int:batch>/", import_status, name="import_status"),
    path("surveys/<int:pk>/imports/<int:batch>/progress/", import_progress, name="import_progress"),
]
