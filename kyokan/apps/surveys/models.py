"""Surveys and their answers.

A survey has an audience (all staff, chosen departments or roles, the headquarters members,
or anyone with its public link), is named or anonymous, and may be a later round of another
survey (事前 → 事後) so that the same questions can be compared. One response per person (or
per public-link visitor), editable until the survey closes.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.models import Department


def _token() -> str:
    return secrets.token_urlsafe(18)


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
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="+"
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Answers are not linked to names; only the bureau and role are kept."),
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


LIKERT_LABELS = [
    "そう思わない",
    "あまりそう思わない",
    "どちらともいえない",
    "ややそう思う",
    "そう思う",
]
MAX_TEXT_ANSWER = 10_000


class Response(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("画面から回答")
        PUBLIC = "public", _("公開リンク")
        IMPORT = "import", _("取込")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    # One response per person (or public visitor): a keyed hash, so that an anonymous
    # survey never stores who answered.
    respondent_key = models.CharField(max_length=64)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.WEB)
    attributes = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"], name="response_one_per_respondent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT_ANSWER)])
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.text or self.number or self.choices}"
