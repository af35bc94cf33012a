import hashlib
import hmac
import json
import uuid
from datetime import UTC

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import japanese_dates
from .roles import DEPARTMENT_SCOPED_ROLES, Role
from .validation import validate_sane_date


def validate_local_government_code(value: str) -> None:
    """団体コード: five digits and a check digit (総務省's modulus-11 rule)."""
    if not (len(value) == 6 and value.isascii() and value.isdigit()):
        raise ValidationError(_("The local government code must be six digits."))
    if not 1 <= int(value[:2]) <= 47:
        raise ValidationError(_("The first two digits must be a prefecture code (01–47)."))
    weighted = sum(int(d) * w for d, w in zip(value[:5], (6, 5, 4, 3, 2), strict=True))
    check = (11 - weighted % 11) % 10
    if int(value[5]) != check:
        raise ValidationError(
            _("The check digit of %(code)s should be %(check)d."),
            params={"code": value, "check": check},
        )


class Municipality(models.Model):
    """The city that runs this installation (one row)."""

    name = models.CharField(_("name"), max_length=60)
    name_kana = models.CharField(_("name (kana)"), max_length=120, blank=True)
    code = models.CharField(
        _("local government code"),
        max_length=6,
        validators=[validate_local_government_code],
        help_text=_("Six digits including the check digit, e.g. 131016."),
    )
    issuing_office = models.CharField(
        _("issuing office"),
        max_length=120,
        blank=True,
        help_text=_("Shown in the title block of papers, e.g. the secretariat's name."),
    )
    hourly_labour_cost = models.DecimalField(
        _("hourly labour cost (yen)"),
        max_digits=9,
        decimal_places=0,
        validators=[MinValueValidator(0)],
        help_text=_("Staff cost of one working hour, used by cost-against-value."),
    )
    citizen_hour_value = models.DecimalField(
        _("value of a citizen hour (yen)"),
        max_digits=9,
        decimal_places=0,
        validators=[MinValueValidator(0)],
        help_text=_("What one hour of a citizen's time is worth, used by cost-against-value."),
    )
    default_useful_life_years = models.PositiveSmallIntegerField(
        _("default useful life (years)"),
        validators=[MinValueValidator(1)],
        help_text=_("Years over which an initial cost is spread when none is given."),
    )
    year_end_closure = models.BooleanField(
        _("closed 29 December – 3 January"),
        default=True,
        help_text=_("The usual year-end closure of city offices."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("部局")
        DIVISION = "division", _("課")

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # A reorganisation (HR import) abolishes or merges a division; it stays, with what it
    # owned, and its history of names (DepartmentName).
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="department_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="department_unique_bureau_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.BUREAU and self.parent_id:
            raise ValidationError({"parent": _("A bureau (部局) has no parent.")})
        if self.kind == self.Kind.DIVISION:
            if not self.parent_id:
                raise ValidationError({"parent": _("A division (課) belongs to a bureau.")})
            if self.parent.kind != self.Kind.BUREAU:
                raise ValidationError({"parent": _("The parent must be a bureau (部局).")})


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: city staff, experts, citizens."""

    username = models.CharField(
        _("login ID"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only."),
        error_messages={"unique": _("A person with that login ID already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=80)
    full_name_kana = models.CharField(
        _("full name (kana)"),
        max_length=120,
        blank=True,
        validators=[
            RegexValidator(
                r"^[\u3041-\u309f\u30a0-\u30ff\u3000\s]*$",
                _("Write the reading in hiragana or katakana."),
            )
        ],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    title = models.CharField(_("job title"), max_length=60, blank=True)
    affiliation = models.CharField(
        _("affiliation"),
        max_length=120,
        blank=True,
        help_text=_("For experts and citizens: organisation or community."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("registered"), default=timezone.now)
    # 職員番号: the key of the HR system's records (HR import, directory login).
    staff_number = models.CharField(
        _("staff number"), max_length=20, unique=True, null=True, blank=True
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # The language of the person's e-mails and notifications (the UI follows the switch).
    language = models.CharField(
        _("language of e-mails"),
        max_length=5,
        choices=[("ja", "日本語"), ("en", "English")],
        default="ja",
    )

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name_kana", "id"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff(self) -> bool:
        # Django's admin is not installed; nobody is "staff" in its sense.
        return False

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department"], name="role_assignment_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(department__isnull=True),
                name="role_assignment_unique_citywide",
            ),
        ]

    def __str__(self) -> str:
        if self.department_id:
            return f"{self.get_role_display()}（{self.department}）"
        return str(self.get_role_display())

    def clean(self) -> None:
        if self.role in DEPARTMENT_SCOPED_ROLES and not self.department_id:
            raise ValidationError(_("A promoter (推進員) is assigned to a department."))
        if self.role not in DEPARTMENT_SCOPED_ROLES and self.department_id:
            raise ValidationError(_("Only promoters are assigned to a department."))


class FiscalYear(models.Model):
    """A 年度 (April–March) that plans, budgets and reports refer to."""

    year = models.PositiveSmallIntegerField(
        _("fiscal year (Western)"),
        unique=True,
        validators=[MinValueValidator(1989), MaxValueValidator(2100)],
        help_text=_("The calendar year in which the fiscal year starts, e.g. 2023."),
        error_messages={"unique": _("That fiscal year already exists.")},
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["year"]

    def __str__(self) -> str:
        return japanese_dates.fiscal_year_label(self.year)

    @property
    def start(self):
        return japanese_dates.fiscal_year_range(self.year)[0]

    @property
    def end(self):
        return japanese_dates.fiscal_year_range(self.year)[1]


class ClosedDay(models.Model):
    """A day the city office is closed besides weekends, holidays and the year-end."""

    date = models.DateField(
        _("date"),
        unique=True,
        validators=[validate_sane_date],
        error_messages={"unique": _("That day is already registered.")},
    )
    name = models.CharField(_("reason"), max_length=80)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One recorded write. Entries are append-only and chained by hash."""

    class Action(models.TextChoices):
        CREATE = "create", _("作成")
        UPDATE = "update", _("更新")
        DELETE = "delete", _("削除")
        LOGIN = "login", _("ログイン")
        LOGOUT = "logout", _("ログアウト")
        PASSWORD = "password", _("パスワード変更")
        LOAD = "load", _("一括登録")

    created_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("object type"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("object ID"), max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")

    def canonical(self) -> str:
        """The text the hash covers: every field but the id and the hash itself."""
        return json.dumps(
            {
                "created_at": self.created_at.astimezone(UTC).isoformat(),
                "actor_id": self.actor_id,
                "actor_name": self.actor_name,
                "action": self.action,
                "target_type": self.target_type,
                "target_id": self.target_id,
                "target_repr": self.target_repr,
                "summary": self.summary,
                "before": self.before,
                "after": self.after,
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        """HMAC-SHA256 of :meth:`canonical` under KYOKAN_AUDIT_KEY, a key kept outside the
        database: without it an altered row's hash (and the chain after it) cannot be
        recomputed."""
        from django.conf import settings

        key = settings.KYOKAN_AUDIT_KEY.encode()
        return hmac.new(key, self.canonical().encode(), hashlib.sha256).hexdigest()


class AuditChainHead(models.Model):
    """The single row that serialises appends and remembers the newest hash."""

    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head #{self.last_event_id} ({self.count})"


class ExportJob(models.Model):
    """A large export built in the background (core.exports): its progress and its file.

    Only the person who asked may download it; it is deleted when it expires."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    builder = models.CharField(max_length=80)
    params = models.JSONField(default=dict)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(default=0.0)
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"))

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:export_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class RateCounter(models.Model):
    """A rate-limit counter (core.ratelimit): hits of one key in one time window."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # the window's number: epoch seconds // its length
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_key_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"


class Notification(models.Model):
    """Something that waits for a person, shown under the bell (core.notifications)."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=5000, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    # A reminder run that already told this person this thing does not tell them again.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    digest_pending = models.BooleanField(default=False)  # waits for the daily digest e-mail

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_inbox"),
            models.Index(fields=["digest_pending", "recipient"], name="notif_digest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notif_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationSetting(models.Model):
    """How one person wants one kind of notification: in the app only, by e-mail at once,
    or in the daily digest e-mail."""

    class Channel(models.TextChoices):
        APP = "app", _("in Kyokan only")
        EMAIL = "email", _("e-mail at once")
        DIGEST = "digest", _("daily digest e-mail")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_settings")
    kind = models.CharField(max_length=60)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_setting_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


class OutgoingEmail(models.Model):
    """An e-mail on its way: sent by the task worker, retried, and kept when it fails so
    that the secretariat sees it (never lost silently)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.EmailField(pgettext_lazy("e-mail", "to"))
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    # [{"name": "meeting.ics", "mimetype": "text/calendar", "content": "<base64>"}]
    attachments = models.JSONField(default=list, blank=True)
    # A guest told under a reminder's key is not told again (people: Notification.dedupe_key).
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class SearchEntry(models.Model):
    """One object in the site search (core.search): its title, text and folded copy."""

    kind = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    title_folded = models.CharField(max_length=300, blank=True)
    folded = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class DepartmentName(models.Model):
    """What a department was called from ``valid_from`` to ``valid_to`` (inclusive): past
    meetings, documents and answers show the name it had then."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=80)
    valid_from = models.DateField(null=True, blank=True)  # None: since before Kyokan knew
    valid_to = models.DateField(null=True, blank=True)  # None: still

    class Meta:
        ordering = ["department", "valid_from"]
        indexes = [models.Index(fields=["department", "valid_to"], name="dept_name_period")]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from}–{self.valid_to or ''})"


class Assignment(models.Model):
    """Where a person worked, and as what, from ``valid_from`` to ``valid_to`` (inclusive)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("job title"), max_length=60, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["user", "valid_from"]
        indexes = [models.Index(fields=["user", "valid_to"], name="assignment_period")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.department_id} ({self.valid_from}–{self.valid_to or ''})"


class StaffImport(models.Model):
    """One HR import (人事・組織データ): previewed, then applied all or nothing."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("previewed")
        APPLIED = "applied", _("applied")

    effective_on = models.DateField(_("effective date"), validators=[validate_sane_date])
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    counts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("HR import")
        verbose_name_plural = _("HR imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.effective_on})"
