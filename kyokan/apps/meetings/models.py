"""Meetings: headquarters meetings, team meetings, study groups, expert exchanges, training.

A meeting belongs to a series and is numbered within it (第6回). Before its date is fixed it
may run a date poll; it has invitations (accounts or external guests with a personal link),
an agenda, numbered papers (資料N), minutes per agenda item, decisions and action items.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.models import Department
from kyokan.apps.core.validation import validate_sane_date, validate_sane_datetime

# The longest texts a form takes (1,000,000 characters of minutes were stored and shown).
MINUTES_MAX = 100_000
EXPERT_INPUT_MAX = 20_000
# The time allotted to one agenda item, in minutes. At least 1: 0 was taken and then shown
# as no time at all. At most 600 (10 hours): the city's longest meetings (a full-day
# training, 9:00–17:00, is 480 minutes) fit with room to spare, while an item longer than
# the day it is held on makes no sense (10**9 minutes would be 1,900 years).
AGENDA_MINUTES_MAX = 600
# Agenda items of one meeting: a headquarters meeting has 3 to 10; 50 is a 600-minute day
# at 12 minutes an item. Each is a line of the 次第 and a section of the minutes, and the
# items' order is a small integer column (thousands were taken).
AGENDA_ITEMS_MAX = 50
# Candidate dates of one date poll: every invitee must answer each one (a row of the
# answering page and of the poll's table). 40 is two slots on every working day of a month;
# 500 were taken.
POLL_CANDIDATES_MAX = 40
# Papers (資料N) of one meeting: each may be 20 MB and the packet puts them all in one PDF,
# so 100 papers may already be a 2 GB packet; a meeting's papers are usually a handful.
PAPERS_MAX = 100


def validate_agenda_minutes(value) -> None:
    if value is not None and not 1 <= value <= AGENDA_MINUTES_MAX:
        raise ValidationError(
            _("Give the time of an agenda item in minutes, from 1 to %(max)s (%(hours)s hours).")
            % {"max": AGENDA_MINUTES_MAX, "hours": AGENDA_MINUTES_MAX // 60},
            code="agenda_minutes",
        )


def validate_candidate_count(n: int) -> None:
    if n > POLL_CANDIDATES_MAX:
        raise ValidationError(
            _("Give at most %(max)s candidate dates (%(n)s given): each invitee answers every one.")
            % {"max": POLL_CANDIDATES_MAX, "n": n},
            code="too_many_candidates",
        )


def _refuse_same_name(instance, field: str, message) -> None:
    """ValidationError on ``field`` when another row of the instance's model has a name that
    is the same in Kyokan's comparison form (``fold``: width, case, kana and spaces aside).
    Series and courses are chosen by name from lists, where 「ＤＸ推進会議」 and 「DX推進会議」
    cannot be told apart. ``message`` takes %(other)s and %(name)s."""
    from kyokan.textanalysis.normalize import fold

    value = getattr(instance, field) or ""
    key = fold(value)
    others = type(instance).objects.exclude(pk=instance.pk).values_list(field, flat=True)
    for other in others:
        if fold(other) == key:
            raise ValidationError({field: message % {"other": other, "name": value}})


def _token() -> str:
    return secrets.token_urlsafe(24)


class MeetingKind(models.TextChoices):
    HQ = "hq", _("本部会議")
    TEAM = "team", _("推進チーム会議")
    STUDY = "study", _("推進員検討部会")
    EXCHANGE = "exchange", _("意見交換会")
    TRAINING = "training", _("研修")


MEETING_NUMBER_MAX = 32767  # a meeting's number column is a small integer


class MeetingSeries(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    decides = models.BooleanField(
        _("decides"),
        default=False,
        help_text=_(
            "Its held meetings can adopt documents (決定). Headquarters meetings always can."
        ),
    )

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _refuse_same_name(
            self,
            "name",
            _(
                "The series “%(other)s” already exists: “%(name)s” differs from it "
                "only in width, case, kana or spaces."
            ),
        )

    @property
    def is_deciding(self) -> bool:
        return self.kind == MeetingKind.HQ or self.decides


class Course(models.Model):
    """A training course (e.g. DX basics); its sessions are meetings of kind 研修."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _refuse_same_name(
            self,
            "title",
            _(
                "The course “%(other)s” already exists: “%(name)s” differs from it "
                "only in width, case, kana or spaces."
            ),
        )


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("日程調整中")
        SCHEDULED = "scheduled", _("開催予定")
        HELD = "held", _("開催済")
        CANCELLED = "cancelled", _("中止")

    series = models.ForeignKey(
        MeetingSeries, verbose_name=_("series"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200, blank=True)
    theme = models.CharField(
        _("theme"), max_length=200, blank=True, help_text=_("For an expert exchange: its theme.")
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("training course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNING
    )
    starts_at = models.DateTimeField(
        _("starts"), null=True, blank=True, db_index=True, validators=[validate_sane_datetime]
    )
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, validators=[validate_sane_datetime]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    # A public meeting appears on the citizen portal: its date, place and agenda titles,
    # then its papers and minutes once the secretariat has published them.
    is_public = models.BooleanField(
        _("public meeting"),
        default=False,
        db_index=True,
        help_text=_(
            "Shown on the citizen portal (date, place, agenda), with its papers and minutes "
            "once they are published."
        ),
    )
    # When the secretariat published the papers (the packet) and the minutes to the
    # invitees (they are told, with the link); None until then.
    papers_published_at = models.DateTimeField(
        _("papers published"), null=True, blank=True, editable=False
    )
    minutes_published_at = models.DateTimeField(
        _("minutes published"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="meeting_unique_number")
        ]

    def __str__(self) -> str:
        base = f"{self.series.name} 第{self.number}回"
        return f"{base} {self.title}" if self.title else base

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


class Invitation(models.Model):
    """One invitee: a person with an account, or an external guest (name and e-mail).

    The token makes a personal link: the invitee answers the date poll through it without
    logging in."""

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("未確認")
        PRESENT = "present", _("出席")
        ABSENT = "absent", _("欠席")
        PROXY = "proxy", _("代理出席")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    name = models.CharField(_("full name"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=120, blank=True)
    required = models.BooleanField(
        _("required"),
        default=False,
        help_text=_("The meeting should not be held without this person (e.g. the 本部長)."),
    )
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-required", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="invitation_unique_person",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id else self.name

    @property
    def contact_email(self) -> str:
        return self.person.email if self.person_id else self.email

    def clean(self) -> None:
        if not self.person_id and not self.name:
            raise ValidationError(_("An external guest needs a name."))
        if not self.person_id and not self.email:
            raise ValidationError(
                _("An external guest needs an e-mail address to receive their personal link.")
            )


class DatePoll(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="poll")
    message = models.TextField(_("message to invitees"), blank=True, max_length=2000)
    deadline = models.DateField(
        _("answer by"), null=True, blank=True, validators=[validate_sane_date]
    )
    is_open = models.BooleanField(_("open"), default=True)
    chosen = models.ForeignKey(
        "PollCandidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")

    def __str__(self) -> str:
        return f"{self.meeting} 日程調整"


class PollCandidate(models.Model):
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="candidates")
    starts_at = models.DateTimeField(_("starts"), validators=[validate_sane_datetime])
    ends_at = models.DateTimeField(_("ends"), validators=[validate_sane_datetime])

    class Meta:
        verbose_name = _("candidate date")
        verbose_name_plural = _("candidate dates")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="candidate_unique_start")
        ]

    def __str__(self) -> str:
        """The slot as people read it: in Japan time, with the 和暦 year."""
        from .dates import slot_label

        return slot_label(self.starts_at, self.ends_at, with_year=True)


class PollAnswer(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", "○"
        MAYBE = "maybe", "△"
        NO = "no", "×"

    candidate = models.ForeignKey(PollCandidate, on_delete=models.CASCADE, related_name="answers")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="poll_answers"
    )
    choice = models.CharField(_("answer"), max_length=5, choices=Choice.choices)
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "invitation"], name="poll_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.invitation} {self.get_choice_display()}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    presenter_text = models.CharField(
        _("presenter (free text)"),
        max_length=120,
        blank=True,
        help_text=_("When the presenter has no account, e.g. 事務局."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes allotted"), null=True, blank=True, validators=[validate_agenda_minutes]
    )
    minutes_text = models.TextField(_("minutes (議事録)"), blank=True, max_length=MINUTES_MAX)
    carried_over = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def presenter_name(self) -> str:
        return self.presenter.full_name if self.presenter_id else self.presenter_text


class AgendaLink(models.Model):
    """A link from an agenda item to an object of another module (a document, an initiative,
    a survey, an idea…). Types are registered in kyokan.apps.core.links."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    label = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("linked object")
        verbose_name_plural = _("linked objects")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "target_type", "target_id"], name="agenda_link_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def url(self) -> str:
        """The linked object's page, if its module is installed."""
        from kyokan.apps.core.links import link_type

        kind = link_type(self.target_type)
        return kind.url(self.target_id) if kind else ""


class Paper(models.Model):
    """資料N: an uploaded file or a paper generated from Kyokan data at packet time."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    number = models.PositiveSmallIntegerField(_("paper number"))
    title = models.CharField(_("title"), max_length=200)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="papers",
    )
    file = models.FileField(_("file"), upload_to="meetings/papers/%Y/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    generator = models.CharField(_("generated from"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="paper_unique_number"),
            models.CheckConstraint(
                condition=~(models.Q(file="") & models.Q(generator="")),
                name="paper_has_content",
            ),
        ]

    def __str__(self) -> str:
        return f"資料{self.number} {self.title}"

    @property
    def label(self) -> str:
        return f"資料{self.number}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    text = models.TextField(_("decision"), max_length=4000)
    # What was decided, when it is an object of another module (e.g. the adopted version of
    # a document, recorded through kyokan.apps.core.decisions): a generic link.
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def target_url(self) -> str:
        """The page of what was decided, if its module is installed."""
        from kyokan.apps.core.links import link_type

        kind = link_type(self.target_type) if self.target_type else None
        return kind.url(self.target_id) if kind else ""


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("未完了")
        DONE = "done", _("完了")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_date = models.DateField(_("due date"), validators=[validate_sane_date])
    status = models.CharField(_("status"), max_length=5, choices=Status.choices, default="open")
    done_at = models.DateTimeField(_("completed"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True, max_length=2000)
    carried_to = models.ManyToManyField(Meeting, related_name="carried_action_items", blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class ExpertInput(models.Model):
    """A key input (知見) from an expert at an opinion exchange, searchable later."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="expert_inputs")
    expert = models.ForeignKey(
        Invitation,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="expert_inputs",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("input"), max_length=EXPERT_INPUT_MAX)
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("expert input")
        verbose_name_plural = _("expert inputs")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class SkillAxis(models.TextChoices):
    UNDERSTANDING = "understanding", _("DXの理解")
    DATA = "data", _("データ活用")
    TOOLS = "tools", _("デジタルツールの活用")
    BPR = "bpr", _("業務改革（BPR）")
    SECURITY = "security", _("情報セキュリティ")


class SkillAssessment(models.Model):
    """A participant's self-assessment (levels 1–5 per axis) before or after a session."""

    class Phase(models.TextChoices):
        BEFORE = "before", _("受講前")
        AFTER = "after", _("受講後")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="assessments")
    phase = models.CharField(_("phase"), max_length=6, choices=Phase.choices)
    scores = models.JSONField(_("scores"))

    class Meta:
        verbose_name = _("skill self-assessment")
        verbose_name_plural = _("skill self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "phase"], name="assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.invitation} {self.get_phase_display()}"

    def clean(self) -> None:
        axes = {a.value for a in SkillAxis}
        if set(self.scores or {}) != axes:
            raise ValidationError(_("Give a level for every skill."))
        for value in self.scores.values():
            if not isinstance(value, int) or not 1 <= value <= 5:
                raise ValidationError(_("Levels run from 1 to 5."))
