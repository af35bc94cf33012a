"""The procedure inventory (手続の棚卸し): procedures in the national survey's schema (the
38 columns of デジタル庁's survey, :mod:`.codes`), the city's own fields, yearly counts by
channel, redesigns (current and redesigned steps) and links to initiatives.

The national columns are replaced by each import of the national file (or the city's file,
where it maps them); the city's own fields are only changed by the city (its file's mapped
columns, or the forms). Counts: the latest year's are on the procedure (the national
columns 総手続件数 / オンライン手続件数 / 非オンライン手続件数) and every year's in
:class:`ProcedureYear`, for the progress across fiscal years.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyokan.apps.core.validation import validate_sane_year

from . import codes

COUNT_MAX = 10**10  # cases per year: more than any procedure has (the largest is ~10^8)
MINUTES_MAX = 10**5
ATTACHMENTS_MAX = 1000
FEE_MAX = 10**9


def count_field(label, **kwargs):
    return models.PositiveBigIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(COUNT_MAX)], **kwargs
    )


class LegalBasisKind(models.TextChoices):
    LAW = "law", _("法律・政令・省令")
    ORDINANCE = "ordinance", _("条例")
    REGULATION = "regulation", _("規則")
    GUIDELINE = "guideline", _("要綱")
    OTHER = "other", _("その他")


class Seal(models.TextChoices):
    REQUIRED = "required", _("押印あり")
    ABOLISHED = "abolished", _("押印廃止済")
    NONE = "none", _("押印なし")


class FeePayment(models.TextChoices):
    NONE = "none", _("手数料なし")
    COUNTER_CASH = "counter_cash", _("窓口（現金）")
    COUNTER_CASHLESS = "counter_cashless", _("窓口（キャッシュレス）")
    BANK = "bank", _("金融機関・コンビニ")
    ONLINE = "online", _("オンライン決済")


class Origin(models.TextChoices):
    NATIONAL = "national", _("国の調査")
    CITY = "city", _("市独自")


class LifeEvent(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _text(label, length=300):
    return models.CharField(label, max_length=length, blank=True)


class Procedure(models.Model):
    # --- the national survey's columns -------------------------------------------------
    procedure_id = models.CharField(_("手続ID"), max_length=20, unique=True)
    ministry = _text(_("所管府省庁"), 100)
    name = models.CharField(_("手続名"), max_length=300)
    law_name = _text(_("法令名"), 300)
    law_number = _text(_("法令番号"), 200)
    article = _text(_("根拠条項号"), 200)
    procedure_type = models.CharField(
        _("手続類型"), max_length=4, blank=True, choices=codes.choices(codes.PROCEDURE_TYPE)
    )
    actor = models.CharField(
        _("手続主体"), max_length=4, blank=True, choices=codes.choices(codes.ACTOR)
    )
    receiver = models.CharField(
        _("手続の受け手"), max_length=4, blank=True, choices=codes.choices(codes.ACTOR)
    )
    via = _text(_("経由機関"), 300)
    agency_names = _text(_("独立行政法人等の名称"), 500)
    affairs_kind = models.CharField(
        _("事務区分"), max_length=2, blank=True, db_index=True,
        choices=codes.choices(codes.AFFAIRS_KIND),
    )  # fmt: skip
    common_procedure = models.CharField(
        _("府省共通手続"), max_length=2, blank=True, choices=codes.choices(codes.COMMON_PROCEDURE)
    )
    implementing_ministries = _text(_("実施府省庁"), 300)
    online_status = models.CharField(
        _("オンライン化の実施状況"), max_length=2, blank=True, db_index=True,
        choices=codes.choices(codes.ONLINE_STATUS),
    )  # fmt: skip
    online_plan = _text(_("オンライン化の実施予定及び検討時の懸念点"), 500)
    online_timing = models.CharField(
        _("オンライン化実施時期"), max_length=2, blank=True,
        choices=codes.choices(codes.ONLINE_TIMING),
    )  # fmt: skip
    identity_methods = _text(_("申請等における本人確認手法"), 200)
    fee_kind = models.CharField(
        _("手数料等の納付有無"), max_length=2, blank=True, choices=codes.choices(codes.FEE_KIND)
    )
    fee_methods = _text(_("手数料等の納付方法"), 300)
    online_fee_incentive = models.CharField(
        _("手数料等のオンライン納付時の優遇措置"), max_length=2, blank=True,
        choices=codes.choices(codes.FEE_INCENTIVE),
    )  # fmt: skip
    processing_online = _text(_("処理期間(オンライン)"), 200)
    processing_offline = _text(_("処理期間(非オンライン)"), 200)
    system_application = _text(_("情報システム(申請)"), 200)
    system_processing = _text(_("情報システム(事務処理)"), 200)
    total_count = count_field(_("総手続件数"))
    online_count = count_field(_("オンライン手続件数"))
    offline_count = count_field(_("非オンライン手続件数"))
    application_info = _text(_("申請書等に記載させる情報"), 500)
    attachments = _text(_("申請時に添付させる書類"), 500)
    attachment_removal = _text(_("添付書類等提出の撤廃/省略状況"), 200)
    attachment_method = _text(_("添付書類等の提出方法"), 200)
    attachment_signature = _text(_("添付書類等への電子署名"), 200)
    attachment_format_rule = _text(_("添付形式等が定められた規定"), 200)
    events_personal = _text(_("手続が行われるイベント(個人)"), 300)
    events_corporate = _text(_("手続が行われるイベント(法人)"), 300)
    professions = _text(_("申請に関連する士業"), 200)
    submission_office = _text(_("申請を提出する機関"), 500)

    # --- the city's own fields -----------------------------------------------------------
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.NATIONAL
    )
    is_municipal = models.BooleanField(
        _("carried out by the municipality"), default=False, db_index=True
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("responsible division"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procedures",
    )
    legal_basis_kind = models.CharField(
        _("legal basis kind"), max_length=12, choices=LegalBasisKind.choices,
        default=LegalBasisKind.LAW, db_index=True,
    )  # fmt: skip
    counter_count = count_field(_("cases at the counter"))
    mail_count = count_field(_("cases by mail"))
    counts_year = models.PositiveSmallIntegerField(
        _("fiscal year of the counts"), null=True, blank=True, validators=[validate_sane_year]
    )
    seal = models.CharField(_("seal (押印)"), max_length=10, choices=Seal.choices, blank=True)
    signature_required = models.BooleanField(_("signature required"), null=True, blank=True)
    attachment_count = models.PositiveSmallIntegerField(
        _("attachments required"), null=True, blank=True,
        validators=[MaxValueValidator(ATTACHMENTS_MAX)],
    )  # fmt: skip
    attachments_removed = models.PositiveSmallIntegerField(
        _("attachments removed"), null=True, blank=True,
        validators=[MaxValueValidator(ATTACHMENTS_MAX)],
    )  # fmt: skip
    fee_yen = models.PositiveIntegerField(
        _("fee (yen)"), null=True, blank=True, validators=[MaxValueValidator(FEE_MAX)]
    )
    fee_payment = models.CharField(
        _("how the fee is paid"), max_length=20, choices=FeePayment.choices, blank=True
    )
    national_priority = models.BooleanField(
        _("national priority procedure"), default=False, db_index=True
    )
    priority_group = _text(_("priority group"), 100)
    life_events = models.ManyToManyField(
        LifeEvent, verbose_name=_("life events"), blank=True, related_name="procedures"
    )
    planned_online_year = models.PositiveSmallIntegerField(
        _("planned online fiscal year"), null=True, blank=True, validators=[validate_sane_year]
    )
    citizen_minutes = models.PositiveIntegerField(
        _("citizen minutes per case"), null=True, blank=True,
        validators=[MaxValueValidator(MINUTES_MAX)],
        help_text=_("The citizen's time for one case today (travel, waiting, writing)."),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True, max_length=4000)
    # Folded copy of the name, legal basis and attachments (kyokan.textanalysis fold).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["department", "online_status"]),
            # Covering indexes of the analysis' GROUP BY scans (the rows are wide: reading
            # only these columns keeps a 75,000-procedure page fast).
            models.Index(
                fields=[
                    "legal_basis_kind",
                    "online_status",
                    "total_count",
                    "online_count",
                    "is_municipal",
                ],
                name="procedure_rate_by_legal",
            ),
            models.Index(
                fields=[
                    "department",
                    "online_status",
                    "total_count",
                    "online_count",
                    "is_municipal",
                ],
                name="procedure_rate_by_dept",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("procedures:detail", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return self.online_status in codes.ONLINE_DONE


class ProcedureYear(models.Model):
    """One fiscal year's counts of a procedure (and its online status that year)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[validate_sane_year]
    )
    online_status = models.CharField(
        _("オンライン化の実施状況"), max_length=2, blank=True,
        choices=codes.choices(codes.ONLINE_STATUS),
    )  # fmt: skip
    total_count = count_field(_("総手続件数"))
    online_count = count_field(_("オンライン手続件数"))
    counter_count = count_field(_("cases at the counter"))
    mail_count = count_field(_("cases by mail"))

    class Meta:
        verbose_name = _("yearly counts")
        verbose_name_plural = _("yearly counts")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "fiscal_year"], name="procedure_year")
        ]
        indexes = [models.Index(fields=["fiscal_year"])]

    def __str__(self) -> str:
        return f"{self.procedure_id}:{self.fiscal_year}"


class Redesign(models.Model):
    """The current flow and the redesigned one (BPR), a few steps each."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="redesign")
    summary = models.TextField(_("what changes"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("redesign")
        verbose_name_plural = _("redesigns")

    def __str__(self) -> str:
        return str(self.procedure)


class Step(models.Model):
    class Flow(models.TextChoices):
        CURRENT = "current", _("現在")
        REDESIGNED = "redesigned", _("再設計後")

    class Who(models.TextChoices):
        CITIZEN = "citizen", _("市民")
        STAFF = "staff", _("職員")
        SYSTEM = "system", _("システム")
        OTHER = "other", _("その他")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("窓口")
        MAIL = "mail", _("郵送")
        ONLINE = "online", _("オンライン")
        PHONE = "phone", _("電話")
        INTERNAL = "internal", _("庁内")

    redesign = models.ForeignKey(Redesign, on_delete=models.CASCADE, related_name="steps")
    flow = models.CharField(_("flow"), max_length=10, choices=Flow.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    who = models.CharField(pgettext_lazy("procedures", "who"), max_length=10, choices=Who.choices)
    what = models.CharField(_("what"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MaxValueValidator(MINUTES_MAX)])

    class Meta:
        verbose_name = pgettext_lazy("procedures", "step")
        verbose_name_plural = _("steps")
        ordering = ["flow", "order", "id"]

    def __str__(self) -> str:
        return self.what


class InitiativeLink(models.Model):
    """A procedure changed by an initiative of the portfolio."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="initiative_links"
    )
    initiative = models.ForeignKey(
        "portfolio.Initiative", on_delete=models.CASCADE, related_name="procedure_links"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The rule against counting the same citizen time twice: when the initiative has its own
    # figure (cases per year × citizen minutes saved per case), that figure stands and the
    # redesign is shown beside it, not added — unless the link says the procedure is not in
    # that figure. An initiative without its own figure takes every linked redesign's saving.
    counts_separately = models.BooleanField(
        _("not in the initiative's own figure"),
        default=False,
        help_text=_(
            "Tick when the initiative's own cases per year × citizen minutes saved do not "
            "include this procedure: the redesign's saving is then added to them. Otherwise "
            "the initiative's own figure stands and the redesign is shown beside it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("link to an initiative")
        verbose_name_plural = _("links to initiatives")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "initiative"], name="procedure_initiative_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} → {self.initiative_id}"


class ColumnMapping(models.Model):
    """The city's file's columns, saved for next year's import: field → column heading."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    columns = models.JSONField(_("columns"), default=dict)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureImport(models.Model):
    """One import of a file: checked (dry run) in the background, then written on request."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national survey file")
        CITY = "city", _("the city's own file")

    class Status(models.TextChoices):
        MAPPING = "mapping", _("waiting for the column mapping")
        QUEUED = "queued", pgettext_lazy("procedures", "queued")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked: ready to import")
        REJECTED = "rejected", _("rejected: nothing imported")
        WRITING = "writing", _("importing")
        DONE = "done", pgettext_lazy("procedures", "imported")
        FAILED = "failed", _("failed: nothing imported")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of file"), max_length=10, choices=Kind.choices)
    municipal_only = models.BooleanField(_("only the municipality's procedures"), default=False)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year of the counts"), validators=[validate_sane_year]
    )
    filename = models.CharField(_("file"), max_length=255, blank=True)
    content = models.BinaryField(_("content"), editable=False)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    mapping_name = models.CharField(_("column mapping"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    confirmed = models.BooleanField(default=False)  # the person asked for the write
    progress = models.FloatField(default=0.0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("procedure import")
        verbose_name_plural = _("procedure imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.WRITING)
