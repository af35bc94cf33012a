"""Analyses of free text: a survey question's answers or an imported comment set
(Kouchou-AI / 広聴AI CSV), analysed in the background by ``kyokan.textanalysis``."""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core import japanese_dates


class CommentSet(models.Model):
    """Comments imported as CSV (comment-id, comment-body and attribute columns), e.g. a
    public comment (パブリックコメント) or citizens' opinions."""

    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(editable=False)  # the decoded CSV, kept for re-analysis
    rows = models.PositiveIntegerField(_("comments"), default=0)
    attributes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment set")
        verbose_name_plural = _("comment sets")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AnalysisRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("分析中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    question = models.ForeignKey(
        "surveys.Question",
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="analyses",
    )
    comment_set = models.ForeignKey(
        CommentSet,
        verbose_name=_("comment set"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="analyses",
    )
    # A comparison of rounds: ``question`` is the later round, this the earlier one; both are
    # analysed together on one scale (``textanalysis.analyze_rounds``).
    earlier_question = models.ForeignKey(
        "surveys.Question",
        verbose_name=_("earlier round's question"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A re-run (other numbers of groups) keeps the ids of this earlier run's groups.
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous analysis"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    coarse = models.PositiveSmallIntegerField(_("coarse clusters"), null=True, blank=True)
    fine = models.PositiveSmallIntegerField(_("fine clusters"), null=True, blank=True)
    reference_label = models.CharField(_("reference text"), max_length=200, blank=True)
    reference_text = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)  # the technical detail (English), for the log
    # An input problem found by the library: its code and parameters, translated on display.
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)  # the library's JSON, as exported
    # What the pages read: the result without its items (groups with representatives as
    # item positions, statistics, the opinion map's points); the items are AnalysisItem rows.
    summary = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__isnull=False) ^ models.Q(comment_set__isnull=False),
                name="analysis_has_one_source",
            )
        ]

    def __str__(self) -> str:
        """What was analysed and when it started, as a person reads it: in Japan time, in
        和暦 with 西暦 (「令和8年（2026年）12月1日 17:23」)."""
        source = self.question or self.comment_set
        if not self.created_at:
            return str(source)
        lang = "ja" if (translation.get_language() or "ja").startswith("ja") else "en"
        started = japanese_dates.wareki_datetime(timezone.localtime(self.created_at), lang=lang)
        return f"{source}（{started}）" if lang == "ja" else f"{source} ({started})"

    def error_text(self) -> str:
        """Why the analysis failed, in the reader's language: the library's input problem
        by its code, or a general message for anything unexpected."""
        from .messages import input_error_text

        if self.error_code:
            return input_error_text(self.error_code, self.error_params)
        if self.error:
            return str(
                _(
                    "An unexpected error stopped the analysis. The system administrator "
                    "finds the details in the server's log."
                )
            )
        return ""

    @property
    def is_rounds(self) -> bool:
        return self.earlier_question_id is not None

    def progress_text(self) -> str:
        """The step the analysis is at, in the reader's language."""
        from .messages import progress_text

        return progress_text(self.message)


class AnalysisItem(models.Model):
    """One analysed answer of a finished run, as the group pages, the campaign pages and the
    exports read it: its text and attributes as they were analysed, its groups, and how it
    was folded (near-duplicates) or marked (campaigns). Written once when the run finishes."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()  # the answer's row in the analysed input
    item_id = models.TextField()  # the response id, or the imported comment-id
    text = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)  # none for anonymous surveys
    coarse = models.CharField(max_length=24, blank=True)
    fine = models.CharField(max_length=24, blank=True)
    # Near-duplicates are folded: ``fold`` is the position of the fold's first answer (its
    # own for an answer without duplicates), ``fold_size`` the answers in the fold.
    fold = models.PositiveIntegerField()
    fold_size = models.PositiveIntegerField(default=1)
    is_head = models.BooleanField(default=True)
    campaign = models.CharField(max_length=16, blank=True)
    alignment = models.FloatField(null=True, blank=True)
    alignment_part = models.PositiveSmallIntegerField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)  # place on the opinion map
    y = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("analysed answer")
        verbose_name_plural = _("analysed answers")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="analysis_item_position")
        ]
        indexes = [
            models.Index(fields=["run", "fine", "is_head"], name="analysis_item_fine"),
            models.Index(fields=["run", "coarse", "is_head"], name="analysis_item_coarse"),
            models.Index(fields=["run", "campaign"], name="analysis_item_campaign"),
            models.Index(fields=["run", "fold"], name="analysis_item_fold"),
        ]

    def __str__(self) -> str:
        return self.item_id
