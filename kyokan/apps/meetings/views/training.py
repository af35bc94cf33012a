"""Training: courses and their sessions, self-assessed skills before and after, and how far
training has reached each bureau's staff and promoters (推進員)."""

from django import forms
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require
from kyokan.apps.core.once import OnceFormMixin, submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import submit

from .. import selectors, services
from ..models import Course, Invitation, Meeting, SkillAssessment, SkillAxis
from .common import meeting_url, my_invitation

# The self-assessment scale. Every level says what the person can do, so that answers are
# comparable between people.
LEVELS = [
    (1, gettext_lazy("1 — I cannot do this yet")),
    (2, gettext_lazy("2 — I can do this with help")),
    (3, gettext_lazy("3 — I can do this on my own")),
    (4, gettext_lazy("4 — I can do this well and apply it")),
    (5, gettext_lazy("5 — I can teach others")),
]

PHASE_TITLES = {
    SkillAssessment.Phase.BEFORE: gettext_lazy("Self-assessment before the session: %(name)s"),
    SkillAssessment.Phase.AFTER: gettext_lazy("Self-assessment after the session: %(name)s"),
}


# --- forms ----------------------------------------------------------------------------------


class CourseForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "description"]


class AssessmentForm(forms.Form):
    """One group of radio buttons (levels 1–5) per skill."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for axis in SkillAxis:
            self.fields[axis.value] = forms.TypedChoiceField(
                label=axis.label,
                choices=LEVELS,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[str, int]:
        return {axis.value: self.cleaned_data[axis.value] for axis in SkillAxis}


# --- the training page ----------------------------------------------------------------------


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _coverage() -> dict:
    rows = selectors.training_coverage()
    for row in rows:
        row["promoter_percent"] = _percent(row["promoters_trained"], row["promoters"])
        row["staff_percent"] = _percent(row["staff_trained"], row["staff"])
    total = {
        key: sum(r[key] for r in rows)
        for key in ("promoters", "promoters_trained", "staff", "staff_trained")
    }
    total["promoter_percent"] = _percent(total["promoters_trained"], total["promoters"])
    total["staff_percent"] = _percent(total["staff_trained"], total["staff"])
    return {"rows": rows, "total": total}


def _my_sessions(user) -> list[Invitation]:
    """The user's own training sessions, with which self-assessments they have given."""
    invitations = list(
        Invitation.objects.filter(person=user, meeting__course__isnull=False)
        .select_related("meeting__series", "meeting__course")
        .prefetch_related("assessments")
        .order_by("-meeting__starts_at", "-meeting_id")[:20]
    )
    for invitation in invitations:
        invitation.phases_done = {a.phase for a in invitation.assessments.all()}
    return invitations


@require("meetings.view_training")
def training(request):
    sessions = Meeting.objects.select_related("series").order_by("starts_at", "number", "id")
    courses = Course.objects.prefetch_related(Prefetch("sessions", queryset=sessions))
    page = paginate(request, courses.order_by("title", "id"), per_page=10)
    page.object_list = list(page.object_list)
    summaries = selectors.assessment_summaries(page.object_list)
    for course in page.object_list:
        course.summary = summaries[course.pk]
        course.assessed = any(r["n_before"] or r["n_after"] for r in course.summary)
    return render(
        request,
        "meetings/training.html",
        {"page": page, "coverage": _coverage(), "my_sessions": _my_sessions(request.user)},
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def course_create(request):
    return submit_once(
        request,
        CourseForm(request.POST or None),
        save=lambda data: services.course_create(actor=request.user, **data),
        success=_("The training course was created."),
        next_url=lambda _c: reverse("meetings:training"),
        title=_("New training course"),
        intro=_("A course's sessions are meetings of the kind 研修 that name the course."),
        cancel_url=reverse("meetings:training"),
    )


# --- self-assessment --------------------------------------------------------------------------


@require("meetings.assess_skills", obj=my_invitation)
@require_http_methods(["GET", "POST"])
def assessment(request, pk: int, phase: str, obj: Invitation):
    """A participant's own self-assessment, for a training session they were invited to."""
    invitation, meeting = obj, obj.meeting
    if phase not in SkillAssessment.Phase.values or meeting.course_id is None:
        raise Http404
    existing = invitation.assessments.filter(phase=phase).first()
    form = AssessmentForm(request.POST or None, initial=existing.scores if existing else None)
    back = meeting_url(meeting)
    return submit(
        request,
        form,
        save=lambda _data: services.assessment_save(
            actor=request.user, invitation=invitation, phase=phase, scores=form.scores()
        ),
        success=_("Your self-assessment was saved."),
        next_url=lambda _a: back,
        title=PHASE_TITLES[phase] % {"name": meeting},
        intro=_(
            "For each skill, choose the level that describes you best today. "
            "The course's results show averages over all participants."
        ),
        cancel_url=back,
    )


urlpatterns = [
    path("training/", training, name="training"),
    path("training/courses/new/", course_create, name="course_create"),
    path("meetings/<int:pk>/assessment/<str:phase>/", assessment, name="assessment"),
]
