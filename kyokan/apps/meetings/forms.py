import re
from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.forms import (
    DepartmentChoiceField,
    JapaneseDateField,
    JapaneseDateTimeField,
    PersonField,
)
from kyokan.apps.core.once import OnceFormMixin
from kyokan.apps.core.roles import Role
from kyokan.apps.core.validation import DATE_MAX, DATE_MIN

from . import selectors
from .dates import needs_year, slot_label
from .models import (
    AGENDA_MINUTES_MAX,
    MEETING_NUMBER_MAX,
    MINUTES_MAX,
    AgendaItem,
    Course,
    Invitation,
    Meeting,
    MeetingSeries,
    PollAnswer,
    validate_agenda_minutes,
    validate_candidate_count,
)
from .papers import generator_choices


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-time picker, limited to 1900–2100 as the field is."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        attrs = {"min": f"{DATE_MIN:%Y-%m-%d}T00:00", "max": f"{DATE_MAX:%Y-%m-%d}T23:59"}
        super().__init__(format="%Y-%m-%dT%H:%M", attrs=attrs, **kwargs)


class SeriesForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = ["name", "kind", "description", "decides"]


class MeetingForm(forms.ModelForm):
    number = forms.IntegerField(
        label=_("number"),
        min_value=1,
        max_value=MEETING_NUMBER_MAX,  # the column (a small integer; PostgreSQL refuses more)
        required=False,
        help_text=_("Leave empty for the next number in the series."),
    )
    starts_at = JapaneseDateTimeField(
        label=_("starts"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty while the date is being polled."),
    )
    ends_at = JapaneseDateTimeField(label=_("ends"), required=False, widget=DateTimeInput())
    online_url = forms.URLField(
        label=_("online meeting link"), required=False, assume_scheme="https", max_length=200
    )
    course = forms.ModelChoiceField(
        label=_("training course"),
        queryset=Course.objects.all(),
        required=False,
        help_text=_("Only for a training session."),
    )

    class Meta:
        model = Meeting
        fields = [
            "series",
            "number",
            "title",
            "theme",
            "course",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "notes",
            "is_public",
        ]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if ends and not starts:
            self.add_error("starts_at", _("Give the start as well as the end."))
        return cleaned

    def _post_clean(self):
        # The number is given by the service when left empty; do not validate it here.
        if self.cleaned_data.get("number") is None:
            self.instance.number = 1
        super()._post_clean()


class NewMeetingForm(OnceFormMixin, MeetingForm):
    pass


class MeetingEditForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = [f for f in MeetingForm.Meta.fields if f not in ("series", "number")]


class InviteForm(forms.Form):
    people = forms.CharField(
        label=_("people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Login IDs or full names, one per line."),
    )
    role = forms.ChoiceField(
        label=_("everyone with the role"),
        required=False,
        choices=[("", "—"), *((r.value, r.label) for r in Role if r != Role.CITIZEN)],
    )
    department = DepartmentChoiceField(
        label=_("everyone in the department"),
        required=False,
        bureau_label=_("%(bureau)s (whole bureau)"),
    )
    required = forms.BooleanField(
        label=_("required attendance"),
        required=False,
        help_text=_("The date poll ranks dates these people can attend first."),
    )

    def clean_people(self):
        field = PersonField(required=False)
        found, errors = [], []
        for line in self.cleaned_data["people"].splitlines():
            if not line.strip():
                continue
            try:
                found.append(field.clean(line))
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return found

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("people") or cleaned.get("role") or cleaned.get("department")
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Choose people, a role or a department to invite."))
        return cleaned


class GuestForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["name", "email", "affiliation", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The personal link to the date poll is sent here.")


class AttendanceForm(forms.Form):
    """Attendance per invitee, or for everyone at once (then each person's choice is
    ignored, e.g. everyone present; absences can be corrected afterwards)."""

    everyone = forms.ChoiceField(
        label=_("mark everyone as"),
        required=False,
        choices=[("", _("— each as chosen below —")), *Invitation.Attendance.choices],
    )

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        for invitation in self.invitations:
            self.fields[f"i{invitation.pk}"] = forms.ChoiceField(
                label=invitation.display_name,
                choices=Invitation.Attendance.choices,
                initial=invitation.attendance,
            )

    def attendance(self) -> dict[int, str]:
        everyone = self.cleaned_data.get("everyone")
        return {i.pk: everyone or self.cleaned_data[f"i{i.pk}"] for i in self.invitations}


_SLOT = re.compile(r"^(?P<date>.+?)\s+(?P<start>\d{1,2}:\d{2})\s*[-–〜~]\s*(?P<end>\d{1,2}:\d{2})$")


def parse_slots(text: str) -> list[tuple[datetime, datetime]]:
    """Lines like 「2022-02-04 14:00-15:30」 or 「令和4年2月4日 14:00〜15:30」."""
    slots, errors = [], []
    tz = timezone.get_current_timezone()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("：", ":")
        if not line:
            continue
        match = _SLOT.match(line)
        try:
            if not match:
                raise ValueError(line)
            day = japanese_dates.parse_date_ja(match["date"])
            start = time.fromisoformat(match["start"].zfill(5))
            end = time.fromisoformat(match["end"].zfill(5))
        except ValueError:
            errors.append(
                _("Line %(n)s: write a date and a time range, e.g. 2022-02-04 14:00-15:30.")
                % {"n": number}
            )
            continue
        if not DATE_MIN <= day <= DATE_MAX:
            errors.append(
                _("Line %(n)s: the date must be between %(min)s and %(max)s.")
                % {"n": number, "min": DATE_MIN, "max": DATE_MAX}
            )
            continue
        slots.append(
            (datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz))
        )
    if errors:
        raise forms.ValidationError(errors)
    return slots


class PollForm(OnceFormMixin, forms.Form):
    candidates = forms.CharField(
        label=_("candidate dates"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line: a date and a time range, e.g. 2022-02-04 14:00-15:30 or "
            "令和4年2月8日 10:00〜11:30. Holidays and closed days are marked for you."
        ),
    )
    deadline = JapaneseDateField(label=_("answer by"), required=False)
    message = forms.CharField(
        label=_("message to invitees"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allow_closed_days = forms.BooleanField(
        label=_("Poll these dates although the city office is closed on some of them"),
        required=False,
        help_text=_("Dates on weekends, holidays and the city's closed days are ranked last."),
    )

    def clean_candidates(self):
        slots = parse_slots(self.cleaned_data["candidates"])
        validate_candidate_count(len(slots))  # before the closed days of 500 dates are listed
        return slots

    def clean(self):
        cleaned = super().clean()
        slots = cleaned.get("candidates") or []
        reasons = selectors.closure_reasons(
            timezone.localtime(start).date() for start, _end in slots
        )
        closed = [
            (start, end, reasons[timezone.localtime(start).date()])
            for start, end in slots
            if reasons.get(timezone.localtime(start).date())
        ]
        if closed and not cleaned.get("allow_closed_days"):
            with_year = needs_year([start for start, _end in slots])
            self.add_error(
                "candidates",
                _(
                    "The city office is closed on %(dates)s. Remove these dates, or tick "
                    "the box below to poll them anyway."
                )
                % {
                    "dates": "、".join(
                        f"{slot_label(start, end, with_year=with_year)}（{reason}）"
                        for start, end, reason in closed
                    )
                },
            )
        cleaned.pop("allow_closed_days", None)
        return cleaned


class PollAnswerForm(forms.Form):
    """One ○/△/× choice and a comment per candidate date."""

    def __init__(
        self, *args, candidates=(), existing=None, closed_reasons=None, labels=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        closed_reasons = closed_reasons or {}
        labels = labels or {}
        self.candidates = list(candidates)
        for c in self.candidates:
            answer = existing.get(c.pk)
            label = labels.get(c.pk) or slot_label(c.starts_at, c.ends_at)
            if closed_reasons.get(c.pk):
                label += f"（{closed_reasons[c.pk]}）"
            self.fields[f"c{c.pk}"] = forms.ChoiceField(
                label=label,
                choices=PollAnswer.Choice.choices,
                widget=forms.RadioSelect,
                initial=answer.choice if answer else None,
            )
            self.fields[f"c{c.pk}_comment"] = forms.CharField(
                label=_("comment"),
                required=False,
                max_length=200,
                initial=answer.comment if answer else "",
            )

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"c{c.pk}"], self.cleaned_data[f"c{c.pk}_comment"])
            for c in self.candidates
        }


class AgendaItemForm(forms.ModelForm):
    presenter = PersonField(label=_("presenter"), required=False)
    # One check and one message for 0, -5 and 10**9 alike (the model's, as every path).
    duration_minutes = forms.IntegerField(
        label=_("minutes allotted"),
        required=False,
        validators=[validate_agenda_minutes],
        widget=forms.NumberInput(attrs={"min": 1, "max": AGENDA_MINUTES_MAX}),
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "presenter_text", "duration_minutes"]


class NewAgendaItemForm(OnceFormMixin, AgendaItemForm):
    pass


class MinutesForm(forms.Form):
    minutes_text = forms.CharField(
        label=_("minutes (議事録)"),
        required=False,
        max_length=MINUTES_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


def _agenda_field(meeting, **kwargs):
    return forms.ModelChoiceField(
        label=_("agenda item"),
        queryset=AgendaItem.objects.filter(meeting=meeting),
        required=False,
        **kwargs,
    )


class PaperUploadForm(OnceFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, Word, Excel, PowerPoint, CSV, text or an image; 20 MB at most."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = _agenda_field(meeting)


class PaperGenerateForm(OnceFormMixin, forms.Form):
    generator = forms.ChoiceField(label=_("generated from"), choices=())
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the usual title."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["generator"].choices = generator_choices()
        self.fields["agenda_item"] = _agenda_field(meeting)


class DecisionForm(OnceFormMixin, forms.Form):
    text = forms.CharField(
        label=_("decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = _agenda_field(meeting)


class ActionItemForm(OnceFormMixin, forms.Form):
    title = forms.CharField(label=_("task"), max_length=200)
    owner = PersonField(label=_("owner"))
    department = DepartmentChoiceField(
        label=_("department"),
        required=False,
        help_text=_("Leave empty for the owner's department."),
    )
    due_date = JapaneseDateField(label=_("due date"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = _agenda_field(meeting)


class ActionItemEditForm(forms.Form):
    title = forms.CharField(label=_("task"), max_length=200)
    owner = PersonField(label=_("owner"))
    department = DepartmentChoiceField(
        label=_("department"),
        required=False,
        help_text=_("Leave empty for the owner's department."),
    )
    due_date = JapaneseDateField(label=_("due date"))


class ActionCompleteForm(forms.Form):
    result = forms.CharField(
        label=_("result"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", _("all kinds")), *MeetingSeries._meta.get_field("kind").choices],
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("all")), *Meeting.Status.choices]
    )
