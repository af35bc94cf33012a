"""Surveys and their answers.

A survey has an audience (all staff, chosen departments or roles, the headquarters members,
or anyone with its public link), is named or anonymous, and may be a later round of another
survey (事前 → 事後) so that the same questions can be compared. One response per person (or
per public-link visitor), editable until the survey closes.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.models import Department
from kyokan.apps.core.validation import validate_sane_date
from kyokan.textanalysis.normalize import fold


def _token() -> str:
    return secrets.token_urlsafe(18)


def random_id() -> int:
    """A random primary key (2**32 … 2**62): the ids of responses, answers and
    participations say nothing about the order in which they were written. (On SQLite the
    key is the row id itself, so the rows are not even stored in the order written.)"""
    return secrets.randbelow(2**62 - 2**32) + 2**32


class Survey(models.Model):
    class Audience(models.TextChoices):
        ALL_STAFF = "all_staff", _("全職員")
        DEPARTMENTS = "departments", _("指定した部局・課")
        ROLES = "roles", _("指定した役割")
        HQ = "hq", _("本部員")
        PUBLIC = "public", _("公開リンク（どなたでも）")

    class State(models.TextChoices):
        DRAFT = "draft", _("準備中")
        OPEN = "open", _("回答受付中")
        CLOSED = "closed", _("終了")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    opens_on = models.DateField(_("opens on"), validators=[validate_sane_date])
    closes_on = models.DateField(_("closes on"), validators=[validate_sane_date])
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="+"
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Answers are not linked to anyone: neither names nor bureau and role are kept "
            "with them. Fixed once the first answer exists."
        ),
    )
    state = models.CharField(
        _("state"), max_length=6, choices=State.choices, default=State.DRAFT, db_index=True
    )
    previous_round = models.ForeignKey(
        "self",
        verbose_name=_("previous round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_rounds",
        help_text=_("The earlier survey whose questions this one repeats (e.g. 事前 → 事後)."),
    )
    round_label = models.CharField(_("round"), max_length=40, blank=True)
    # The results (counts per choice, never free text or anything below MIN_GROUP) appear
    # on the citizen portal and in the open data once the survey is closed.
    results_public = models.BooleanField(
        _("publish the results"),
        default=False,
        help_text=_(
            "Once closed, its counts are shown to citizens and published as open data "
            "(free-text answers never; questions with fewer than 5 answers hidden)."
        ),
    )
    public_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.round_label}）" if self.round_label else self.title

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The survey must close after it opens.")})


OPTION_MAX = 200  # characters of one option of a choice question
# Options of one choice question. They are stored as one JSON list and each is drawn
# everywhere the question is: a radio button or check box of the answering page, a bar of
# the results chart (about 0.42 inch each: 50 one-line options already make a chart over
# 50 cm tall), a column of the cross-tabulation by bureau and role, a row of the public
# results and the open data. 50 still holds the longest list a city's survey asks for — the
# 47 prefectures with 「その他」 and 「わからない」 — while 10,000 options were taken.
OPTIONS_MAX = 50
# Questions of one survey: each is a field of the answering page, a chart and table of the
# results and a column of the exports. 100 questions is already about an hour of answering
# (the city's surveys ask a few to a few dozen); thousands were taken, and the question's
# order (a small integer column) would overflow past 32,767.
QUESTIONS_MAX = 100


def option_key(option) -> str:
    """The form under which two options of one question are the same option: Kyokan's
    comparison form of Japanese text (``fold``: NFKC, so Ａ and A, １ and 1, ｶﾅ and カナ alike;
    case folded; katakana as hiragana; without whitespace). The answer import matches a
    cell to an option by this key, so two options with one key would take each other's
    answers: a question cannot have both."""
    return fold(str(option))


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("単一選択")
        MULTIPLE = "multiple", _("複数選択")
        LIKERT = "likert", _("5段階評価")
        NUMBER = "number", _("数値")
        TEXT = "text", _("自由記述")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_("For single and multiple choice: the options, in order."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE) and len(self.choices) < 2:
            raise ValidationError({"choices": _("A choice question needs at least two options.")})
        if self.kind not in (self.Kind.SINGLE, self.Kind.MULTIPLE) and self.choices:
            raise ValidationError({"choices": _("Only choice questions have options.")})
        if len(set(self.choices)) != len(self.choices):
            raise ValidationError({"choices": _("An option is listed twice.")})
        if len(self.choices) > OPTIONS_MAX:
            raise ValidationError(
                {
                    "choices": _("A question can have at most %(max)s options (%(n)s given).")
                    % {"max": OPTIONS_MAX, "n": len(self.choices)}
                }
            )
        seen: dict[str, str] = {}
        for option in self.choices:
            first = seen.setdefault(option_key(option), str(option))
            if first != str(option):
                raise ValidationError(
                    {
                        "choices": _(
                            "The options “%(first)s” and “%(second)s” differ only in width, "
                            "case, kana or spaces, so they count as the same option. Keep one "
                            "of them or make them differ."
                        )
                        % {"first": first, "second": option}
                    }
                )
        if any(len(str(option)) > OPTION_MAX for option in self.choices):
            # An option of 100,000 characters was stored and drawn on every answering page,
            # chart and export.
            raise ValidationError(
                {"choices": _("Write at most %(n)s characters.") % {"n": OPTION_MAX}}
            )


LIKERT_LABELS = [
    "そう思わない",
    "あまりそう思わない",
    "どちらともいえない",
    "ややそう思う",
    "そう思う",
]
MAX_TEXT_ANSWER = 10_000


class ImportBatch(models.Model):
    """One import of responses from a CSV file, run in the background (``kyokan
    db_worker``): every row is checked, then the rows are written in short chunks, and they
    count only once the batch is published (all rows written). A rejected or failed import
    keeps its batch (the status and the problems, for the person's page) but none of its
    rows, so the import stays all or nothing for the person."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        CHECKING = "checking", _("確認中")
        WRITING = "writing", _("取込中")
        DONE = "done", _("完了")
        REJECTED = "rejected", _("取込できない行あり")
        FAILED = "failed", _("失敗")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="import_batches")
    filename = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField(default=0)
    published = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # The file (kept until the import is done) and the columns chosen for each question.
    upload = models.ForeignKey(
        "ImportUpload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mapping = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, blank=True)  # of the person's messages
    total = models.PositiveIntegerField(default=0)  # rows to import
    progress = models.FloatField(default=0.0)
    # Rejected: the problems found ([row, question, message], the first ERRORS_KEPT).
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response import")
        verbose_name_plural = _("response imports")

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.filename}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.WRITING)


class ImportUpload(models.Model):
    """The decoded CSV kept between the steps of the import wizard (instead of the
    session), deleted after the import, when the person starts again, or when it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("uploaded file to import")
        verbose_name_plural = _("uploaded files to import")

    def __str__(self) -> str:
        return self.name


class ResponseQuerySet(models.QuerySet):
    def counted(self):
        """The responses that count: not voided, and not part of an import still running."""
        return self.filter(voided_at__isnull=True).filter(
            Q(import_batch__isnull=True) | Q(import_batch__published=True)
        )


class AnswerQuerySet(models.QuerySet):
    def counted(self):
        """Answers of responses that count (see ``ResponseQuerySet.counted``)."""
        return self.filter(response__voided_at__isnull=True).filter(
            Q(response__import_batch__isnull=True) | Q(response__import_batch__published=True)
        )


class Response(models.Model):
    """One respondent's answers.

    A named survey's response names its respondent, bureau and role and has times. An
    anonymous survey's response stores nothing that joins it to a person: no respondent,
    no key derived from the person, no bureau or role, no time, a random id, and only the
    hash of the edit code that the respondent alone holds. That they took part is stored
    apart, in :class:`Participation`, with no link to the response."""

    class Source(models.TextChoices):
        WEB = "web", _("画面から回答")
        PUBLIC = "public", _("公開リンク")
        IMPORT = "import", _("取込")

    id = models.BigAutoField(primary_key=True, default=random_id, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.WEB)
    attributes = models.JSONField(default=dict, blank=True)
    # Named responses only (an anonymous response keeps no time at all).
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    # Anonymous responses: SHA-256 of the random edit code shown once to the respondent.
    edit_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="response_one_per_respondent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Participation(models.Model):
    """That a person (or a public-link visitor) has answered an anonymous survey: for one
    response per person and the response rate. Deliberately without any link to the
    response, without a time, and with a random id."""

    id = models.BigAutoField(primary_key=True, default=random_id, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Public-link visitors: a keyed hash of their browser session (no person behind it).
    visitor_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="participation_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "visitor_key"],
                condition=~Q(visitor_key=""),
                name="participation_one_per_visitor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.pk}"


class Answer(models.Model):
    id = models.BigAutoField(primary_key=True, default=random_id, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_ANSWER)])
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.text or self.number or self.choices}"
