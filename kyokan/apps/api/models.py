"""System accounts of the JSON API: one token per integration (基幹システム連携).

The token is shown once, when the system administrator creates the account; only its
SHA-256 is stored (a random 256-bit secret needs no slow hash: nobody can guess it, and a
stolen database does not give it away). An account acts for one bureau (部局) and only with
the permissions it was given; every write it makes is recorded in the audit trail under the
account's own person record (an inactive account user that cannot log in).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    INITIATIVES = "initiatives", _("create and update initiatives")
    REPORTS = "reports", _("submit progress reports")
    KPI_ACTUALS = "kpi_actuals", _("record KPI actuals")
    PROCEDURES = "procedures", _("create and update procedures")


def validate_scopes(value) -> None:
    if not isinstance(value, list) or any(v not in Scope.values for v in value):
        raise ValidationError(_("Unknown permission."))


class ApiAccount(models.Model):
    name = models.CharField(_("system name"), max_length=100, unique=True)
    description = models.TextField(_("what it is for"), blank=True, max_length=1000)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="api_accounts",
    )
    scopes = models.JSONField(_("permissions"), default=list, validators=[validate_scopes])
    # The person record the account acts as (audit trail, services' actor); never logs in.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_account"
    )
    token_prefix = models.CharField(max_length=12, db_index=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API system account")
        verbose_name_plural = _("API system accounts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.department_id and self.department.parent_id is not None:
            raise ValidationError({"department": _("Choose a bureau (部局), not a division.")})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def scope_labels(self) -> list[str]:
        return [str(Scope(s).label) for s in self.scopes or [] if s in Scope.values]

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in (self.scopes or [])
