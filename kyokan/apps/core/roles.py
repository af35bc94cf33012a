"""The roles of DESIGN.md. Labels are domain terms, so they are written in Japanese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("事務局")
    HQ_CHIEF = "hq_chief", _("本部長")
    HQ_DEPUTY = "hq_deputy", _("副本部長")
    HQ_MEMBER = "hq_member", _("本部員")
    PROMOTER = "promoter", _("推進員")
    STAFF = "staff", _("職員")
    EXPERT = "expert", _("有識者")
    CITIZEN = "citizen", _("市民")
    SYSADMIN = "sysadmin", _("システム管理者")


HQ_ROLES = frozenset({Role.HQ_CHIEF, Role.HQ_DEPUTY, Role.HQ_MEMBER})
# Roles held by people who work for the city (as opposed to experts and citizens).
CITY_STAFF_ROLES = frozenset(
    {Role.SECRETARIAT, *HQ_ROLES, Role.PROMOTER, Role.STAFF, Role.SYSADMIN}
)
# A 推進員 promotes DX for one department; every other role is held city-wide.
DEPARTMENT_SCOPED_ROLES = frozenset({Role.PROMOTER})
