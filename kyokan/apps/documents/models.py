"""Versioned, structured documents: the DX definition, the Digital Resilience Strategy, the
staff action guidelines, the DX initiative policy, the open data guideline, the digital
divide policy, and free kinds.

A document has versions; a version is a tree of sections. A revision starts as a copy of a
version (``based_on``); each section keeps the ``lineage`` of the section it was copied from,
so two versions can be compared section by section, and records whether it is unchanged,
revised, added or removed relative to that version. An adopted version never changes.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyokan.apps.core.validation import validate_sane_date

# The longest text a section holds: a long chapter of a strategy runs to a few thousand
# characters; beyond this a section should be split (and the diff stays fast).
SECTION_BODY_MAX_LENGTH = 30_000


def validate_section_body(value: str) -> None:
    MaxLengthValidator(
        SECTION_BODY_MAX_LENGTH,
        message=_(
            "A section's text can be at most %(limit_value)s characters long; this text has "
            "%(show_value)s. Split it into several sections."
        ),
    )(value)


class DocumentKind(models.TextChoices):
    DX_DEFINITION = "dx_definition", _("DX定義")
    STRATEGY = "strategy", _("デジタル強靱化戦略")
    GUIDELINES = "guidelines", _("行動指針")
    POLICY = "policy", _("DX取組方針")
    OPEN_DATA = "open_data", _("オープンデータガイドライン")
    DIGITAL_DIVIDE = "digital_divide", _("デジタルデバイド対策の考え方")
    OTHER = "other", _("その他")


class SectionKind(models.TextChoices):
    FREE = "free", _("自由")
    VISION = "vision", _("目指す姿")
    BASIC_POLICY = "basic_policy", _("基本方針")
    PILLAR = "pillar", _("施策の柱")
    MEASURE = "measure", _("施策")
    EXPECTED_CHANGE = "expected_change", _("想定される変化")
    GUIDELINE = "guideline", _("行動指針")
    POLICY = "policy", _("取組方針")
    PROGRESS = "progress", _("進捗状況・課題")
    DEFINITION = "definition", _("DXの定義")


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(
        _("document title"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("A document with this title already exists.")},
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    # やさしい日本語: what the document says in short, plain words, shown first on the
    # citizen portal when filled (any time, also after adoption: it is not the document).
    easy_japanese_summary = models.TextField(
        _("summary in easy Japanese (やさしい日本語)"),
        blank=True,
        max_length=2000,
        help_text=_("Short sentences and everyday words; shown first on the citizen portal."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Version(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("下書き")
        CONSULTATION = "consultation", _("協議中")
        ADOPTED = "adopted", _("決定")
        SUPERSEDED = "superseded", _("改定済")
        ABOLISHED = "abolished", _("廃止")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version number"))
    label = models.CharField(
        _("version label"),
        max_length=120,
        help_text=_("e.g. 令和3年度版, 改定案（第6回本部会議）"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )
    comment_deadline = models.DateField(
        _("comments until"), null=True, blank=True, validators=[validate_sane_date]
    )
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, validators=[validate_sane_date]
    )
    # The meeting that adopted it, as a generic link (documents do not depend on meetings).
    adopted_by_type = models.CharField(max_length=60, blank=True)
    adopted_by_id = models.CharField(max_length=40, blank=True)
    adopted_by_label = models.CharField(_("adopted at"), max_length=200, blank=True)
    summary = models.TextField(_("summary of the revision"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document.title} {self.label}"

    @property
    def is_frozen(self) -> bool:
        return self.state != self.State.DRAFT and self.state != self.State.CONSULTATION

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    def comments_open_count(self) -> int:
        return Comment.objects.filter(
            section__version=self, resolution=Comment.Resolution.OPEN
        ).count()

    def objections_open_count(self) -> int:
        return self.endorsements.filter(
            stance=Endorsement.Stance.OBJECT, resolution=Comment.Resolution.OPEN
        ).count()

    @property
    def decided_by_meeting(self) -> bool:
        return bool(self.adopted_on and self.adopted_by_type and self.adopted_by_label)

    def decision_caption(self) -> str:
        """「令和8年2月8日 第6回デジタル化推進本部会議決定」 (in English: "Decided at … on …");
        an adoption recorded without a meeting shows its date only."""
        from django.utils import translation

        from kyokan.apps.core.japanese_dates import wareki_date

        if not self.adopted_on:
            return ""
        lang = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
        day = wareki_date(self.adopted_on, lang=lang, with_western=False)
        if not self.adopted_by_label:
            return day
        if lang == "en":
            return f"Decided at the {self.adopted_by_label}, {day}"
        return f"{day} {self.adopted_by_label}決定"


class Section(models.Model):
    class Change(models.TextChoices):
        UNCHANGED = "unchanged", _("変更なし")
        REVISED = "revised", _("改定")
        ADDED = "added", _("追加")
        REMOVED = "removed", pgettext_lazy("section change", "削除")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    path = models.CharField(max_length=255, editable=False, db_index=True)
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    kind = models.CharField(
        _("section type"), max_length=20, choices=SectionKind.choices, default=SectionKind.FREE
    )
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("text"), blank=True, validators=[validate_section_body])
    change = models.CharField(
        _("type of change"), max_length=10, choices=Change.choices, default=Change.ADDED
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "path"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage"], name="section_unique_lineage")
        ]

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        if self.parent_id and self.parent.version_id != self.version_id:
            raise ValidationError(_("A section's parent must be in the same version."))


class Comment(models.Model):
    class Resolution(models.TextChoices):
        OPEN = "open", _("未対応")
        REFLECTED = "reflected", _("反映")
        ADDRESSED = "addressed", _("対応済")
        DECLINED = "declined", _("不採用")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_comments"
    )
    body = models.TextField(pgettext_lazy("document", "comment"), max_length=4000)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    resolution = models.CharField(
        _("response"), max_length=10, choices=Resolution.choices, default=Resolution.OPEN
    )
    resolution_note = models.TextField(_("reason for the response"), blank=True, max_length=2000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("document", "comment")
        verbose_name_plural = pgettext_lazy("document", "comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Endorsement(models.Model):
    """A person's position on a version, or on one of its sections (the paper asks which
    points people agree with): 賛同, or 異議 with what they object to. The secretariat answers
    an objection as it answers a comment (反映 / 対応済 / 不採用 with a reason); an objection
    without an answer blocks adoption."""

    class Stance(models.TextChoices):
        ENDORSE = "endorse", _("賛同")
        OBJECT = "object", _("異議")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="endorsements")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="endorsements",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements"
    )
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now=True)
    resolution = models.CharField(
        _("response"),
        max_length=10,
        choices=Comment.Resolution.choices,
        default=Comment.Resolution.OPEN,
    )
    resolution_note = models.TextField(_("reason for the response"), blank=True, max_length=2000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("position (endorse or object)")
        verbose_name_plural = _("positions (endorse or object)")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"],
                condition=models.Q(section__isnull=True),
                name="endorsement_unique",
            ),
            models.UniqueConstraint(
                fields=["version", "person", "section"],
                condition=models.Q(section__isnull=False),
                name="endorsement_unique_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_stance_display()}"

    @property
    def is_objection(self) -> bool:
        return self.stance == self.Stance.OBJECT

    @property
    def awaits_answer(self) -> bool:
        return self.is_objection and self.resolution == Comment.Resolution.OPEN


class GlossaryTerm(models.Model):
    """A preferred term, its definition and the variants to be unified (e.g. ICT, IT化,
    情報化 → デジタル化, or DX as the city defines it)."""

    preferred = models.CharField(
        _("preferred term"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("This term is already in the glossary.")},
    )
    reading = models.CharField(_("reading"), max_length=120, blank=True)
    definition = models.TextField(_("definition"), blank=True, max_length=2000)
    variants = models.TextField(
        _("variants to unify"),
        blank=True,
        max_length=4000,
        help_text=_("One per line. Width and kana variants are found without listing them."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["reading", "preferred"]

    def __str__(self) -> str:
        return self.preferred

    @property
    def variant_list(self) -> list[str]:
        return [v.strip() for v in self.variants.splitlines() if v.strip()]


class RevisionStep(models.Model):
    """One step of a document's revision plan (draft, team discussion, 6th and 7th
    headquarters meetings, adoption)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("予定")
        DONE = "done", _("完了")
        SKIPPED = "skipped", _("取りやめ")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="plan")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("step"), max_length=200)
    due_date = models.DateField(_("date"), null=True, blank=True, validators=[validate_sane_date])
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("revision step")
        verbose_name_plural = _("revision steps")
        ordering = ["document", "order", "id"]

    def __str__(self) -> str:
        return self.title


class SubmittedForm(models.Model):
    """A creation form's one-time key, used up by the service that created something with
    it (``kyokan.apps.core.once``, which keeps its keys here): a second POST of the same
    form finds what the first made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submitted_form_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id}"
