"""Deliberation: ideas (提案) and their path to initiatives, their moderation, and consensus
conversations (Pol.is-style statements voted agree / disagree / pass, analysed by
:mod:`kyokan.consensus`).

What crosses relations (similar ideas, contributions per department, the next statement
to vote on, the vote matrix) lives in selectors; the writes live in services.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TITLE_MAX = 200
TEXT_MAX = 4000
COMMENT_MAX = 2000
# A statement is one short sentence, as in Pol.is (which allows 140 characters in its
# default settings): long enough for a clear claim, short enough to be voted on at a glance.
STATEMENT_MIN = 5
STATEMENT_MAX = 140
IMPORTED_STATEMENT_MAX = 2000
KEY_MAX = 1000


def _token() -> str:
    return secrets.token_urlsafe(24)


class IdeaStatus(models.TextChoices):
    PROPOSED = "proposed", _("提案")
    REVIEWING = "reviewing", _("検討中")
    ADOPTED = "adopted", _("採用")
    REJECTED = "rejected", _("不採用")
    LAUNCHED = "launched", _("事業化")


# The status path: 提案 → 検討中 → 採用 / 不採用 → 事業化 (from 採用). A rejected idea may be
# taken up again (検討中); 事業化 is final (the idea lives on as an initiative).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    IdeaStatus.PROPOSED: (IdeaStatus.REVIEWING,),
    IdeaStatus.REVIEWING: (IdeaStatus.ADOPTED, IdeaStatus.REJECTED),
    IdeaStatus.ADOPTED: (IdeaStatus.LAUNCHED, IdeaStatus.REVIEWING),
    IdeaStatus.REJECTED: (IdeaStatus.REVIEWING,),
    IdeaStatus.LAUNCHED: (),
}


class Origin(models.TextChoices):
    STAFF = "staff", _("職員")
    CITIZEN = "citizen", _("市民")


class Visibility(models.TextChoices):
    """Moderation state of an idea, a comment or a statement."""

    VISIBLE = "visible", _("公開")
    PENDING = "pending", _("確認待ち")  # a new statement awaiting the moderator
    HIDDEN = "hidden", _("通報により非表示")  # reported past the threshold; awaiting decision
    REMOVED = "removed", _("削除")  # the secretariat decided it does not stay


class Idea(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem = models.TextField(_("the problem today"), max_length=TEXT_MAX)
    who = models.CharField(_("who has the problem"), max_length=300, blank=True)
    citizen_value = models.TextField(_("value for citizens"), max_length=TEXT_MAX, blank=True)
    proposal = models.TextField(_("the proposal"), max_length=TEXT_MAX)
    pillar = models.ForeignKey(
        "documents.Section",
        verbose_name=_("strategy pillar"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pillar_label = models.CharField(_("strategy pillar"), max_length=300, blank=True)
    origin = models.CharField(
        pgettext_lazy("deliberation", "from"),
        max_length=8,
        choices=Origin.choices,
        default=Origin.STAFF,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    # A citizen without an account: the name they chose to show (may be a pen name) and,
    # if they want to be told what becomes of the idea, an e-mail address.
    author_name = models.CharField(_("name shown"), max_length=100, blank=True)
    author_email = models.EmailField(_("e-mail for updates"), blank=True)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    bureau = models.ForeignKey(
        "core.Department",
        verbose_name=_("bureau"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IdeaStatus.choices,
        default=IdeaStatus.PROPOSED,
        db_index=True,
    )
    status_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_public = models.BooleanField(
        _("shown on the public portal"),
        default=False,
        help_text=_("The secretariat decides which ideas citizens can read."),
    )
    visibility = models.CharField(
        _("moderation"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
        db_index=True,
    )
    # The author's personal link to follow the idea (citizens without an account).
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    # Similarity features (Sudachi normalised forms and synonym groups), kept with the idea.
    terms = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:idea", args=[self.pk])

    @property
    def shown_author(self) -> str:
        if self.author_id:
            return str(self.author)
        return self.author_name or str(_("a citizen"))

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())


def attachment_path(instance, filename: str) -> str:
    return f"deliberation/ideas/{instance.idea_id}/{secrets.token_hex(8)}"


class IdeaAttachment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """One step of an idea's path: what the author reads as "what became of it"."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    old = models.CharField(max_length=10, choices=IdeaStatus.choices)
    new = models.CharField(max_length=10, choices=IdeaStatus.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.old} → {self.new}"


class Comment(models.Model):
    """A comment on an idea; ``parent`` makes the thread (replies to replies)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(
        _("comment"), validators=[MinLengthValidator(1), MaxLengthValidator(COMMENT_MAX)]
    )
    # An answer of the secretariat (or the department in charge) to the idea: followers
    # are told of answers as of comments.
    is_answer = models.BooleanField(_("official answer"), default=False)
    visibility = models.CharField(
        _("moderation"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return reverse("deliberation:idea", args=[self.idea_id]) + f"#comment-{self.pk}"


class Support(models.Model):
    """One support (賛同) per person and idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="support_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="follow_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.idea_id}"


class IdeaSession(models.Model):
    """A meeting (usually of the study group, 推進員検討部会) that discusses the idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="sessions")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session discussing the idea")
        verbose_name_plural = _("sessions discussing the idea")
        constraints = [
            models.UniqueConstraint(fields=["idea", "meeting"], name="idea_session_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.idea_id}"


class Report(models.Model):
    """A report (通報) of an idea, a comment or a statement. One per reporter and target;
    from the threshold on, the target is hidden until the secretariat decides."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("誹謗中傷・差別")
        PRIVACY = "privacy", _("個人情報")
        SPAM = "spam", _("宣伝・スパム")
        OFF_TOPIC = "off_topic", _("無関係な内容")
        OTHER = "other", _("その他")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    statement = models.ForeignKey(
        "Statement", on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who reported, as a keyed hash (a person's id or a public visitor's address): one
    # report per reporter and target, without storing an address.
    reporter_key = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    resolved = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, comment__isnull=True, statement__isnull=True)
                    | models.Q(idea__isnull=True, comment__isnull=False, statement__isnull=True)
                    | models.Q(idea__isnull=True, comment__isnull=True, statement__isnull=False)
                ),
                name="report_has_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=[name, "reporter_key"],
                    condition=models.Q(**{f"{name}__isnull": False}),
                    name=f"report_once_per_reporter_{name}",
                )
                for name in ("idea", "comment", "statement")
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_reason_display())

    @property
    def target(self):
        return self.idea or self.comment or self.statement


# --- consensus conversations ------------------------------------------------------------------


class Conversation(models.Model):
    # What the secretariat edits (the form, the edit service and the views share this list).
    EDITABLE_FIELDS = (
        "title",
        "question",
        "description",
        "allow_statements",
        "premoderate",
        "is_public",
        "results_public",
    )

    class State(models.TextChoices):
        DRAFT = "draft", _("準備中")
        OPEN = "open", _("受付中")
        CLOSED = "closed", _("終了")

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    question = models.TextField(pgettext_lazy("deliberation", "question"), max_length=1000)
    description = models.TextField(_("background"), max_length=TEXT_MAX, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.DRAFT, db_index=True
    )
    allow_statements = models.BooleanField(_("participants may add statements"), default=True)
    premoderate = models.BooleanField(
        _("statements are checked before they are shown"),
        default=True,
        help_text=_("Otherwise a new statement is shown at once and hidden only if reported."),
    )
    # Citizens take part on the portal (no account: a random token in a signed cookie names
    # each browser) while the conversation is open; its results are shown to them only when
    # the secretariat says so.
    is_public = models.BooleanField(
        _("open to citizens on the portal"),
        default=False,
        help_text=_(
            "While the conversation is open, anyone can vote and add statements on the "
            "citizen portal, without an account."
        ),
    )
    results_public = models.BooleanField(
        _("results shown on the portal"),
        default=False,
        help_text=_(
            "The groups of opinion and the consensus statements of the latest analysis are "
            "shown to citizens."
        ),
    )
    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_from = models.CharField(_("imported from"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:conversation", args=[self.pk])

    @property
    def public_url(self) -> str:
        """The citizens' page of the conversation (it answers 404 unless the conversation
        is public and open, or public, closed and with its results published)."""
        return reverse("deliberation:public_conversation", args=[self.pk])


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A citizen on the portal, without an account: the SHA-256 of the random token their
    # browser keeps in a signed cookie (one browser, one participant). No name, no address.
    visitor = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The participant's number in the conversation (Polis's participant id).
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="participant_unique_number"
            ),
            models.UniqueConstraint(
                fields=["conversation", "person"],
                condition=models.Q(person__isnull=False),
                name="participant_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["conversation", "visitor"],
                condition=~models.Q(visitor=""),
                name="participant_once_per_visitor",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def is_visitor(self) -> bool:
        return bool(self.visitor)


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    # The statement's number in the conversation (Polis's comment-id).
    number = models.PositiveIntegerField()
    # New statements are checked to STATEMENT_MIN–STATEMENT_MAX characters by the service;
    # the column is wider for statements imported from Polis conversations.
    text = models.CharField(_("statement"), max_length=IMPORTED_STATEMENT_MAX)
    # The folded text: two statements that differ only in width, kana, case, spaces or
    # punctuation are the same statement.
    key = models.CharField(max_length=KEY_MAX, editable=False)
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    visibility = models.CharField(
        _("moderation"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="statement_unique_number"
            ),
            models.UniqueConstraint(fields=["conversation", "key"], name="statement_unique_text"),
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("賛成")
        DISAGREE = -1, _("反対")
        PASS = 0, _("パス")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    voted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="vote_once_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}:{self.statement_id}={self.value}"


class ConsensusRun(models.Model):
    """One analysis of a conversation's votes, run in the background by the library."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("分析中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    statements = models.PositiveIntegerField(_("statements"), default=0)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)  # the technical detail (English), for the log
    # An input problem found by the library: its code and parameters, translated on display.
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("consensus analysis")
        verbose_name_plural = _("consensus analyses")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.conversation} #{self.pk}"

    def error_text(self) -> str:
        from django.utils import translation

        if self.error_code:
            if (translation.get_language() or "ja").startswith("ja"):
                from kyokan.consensus import message_ja

                return message_ja(self.error_code, self.error_params)
            return self.error.removeprefix("input: ")
        if self.error:
            return str(
                _("An unexpected error stopped the analysis; the server's log has the details.")
            )
        return ""
