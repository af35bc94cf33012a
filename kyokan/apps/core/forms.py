import datetime
import re
import unicodedata

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db.models import Value
from django.db.models.functions import Replace
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from . import japanese_dates, validation
from .models import AuditEvent, ClosedDay, Department, FiscalYear, Municipality, User
from .roles import DEPARTMENT_SCOPED_ROLES, Role


class JapaneseDateField(forms.DateField):
    """Accepts 2023-04-01, 2023/4/1, 令和5年4月1日, R5.4.1 and full-width digits."""

    widget = forms.DateInput(attrs={"placeholder": "2023-04-01 / 令和5年4月1日"})
    default_error_messages = {
        "invalid": _("Enter a date such as 2023-04-01 or 令和5年4月1日."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return japanese_dates.parse_date_ja(str(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def validate(self, value):
        super().validate(value)
        validation.validate_sane_date(value)


class JapaneseDateTimeField(forms.DateTimeField):
    """A date as :class:`JapaneseDateField` accepts it, then a time: 2023-04-01 14:00,
    令和5年4月1日 14:00, R5.4.1 9:30 (the time may also be typed 14時00分). The value is in
    Asia/Tokyo, within 1900–2100."""

    widget = forms.DateTimeInput(attrs={"placeholder": "2023-04-01 14:00"})
    default_error_messages = {
        "invalid": _("Enter a date and time such as 2023-04-01 14:00 or 令和5年4月1日 14:00."),
    }
    _TIME = re.compile(r"^(?P<date>.+?)[\sT]*(?P<h>\d{1,2})(?::|時)(?P<m>\d{2})(?:分)?(?::\d{2})?$")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value) if timezone.is_naive(value) else value
        if isinstance(value, datetime.date):
            return from_current_timezone(datetime.datetime.combine(value, datetime.time()))
        text = unicodedata.normalize("NFKC", str(value)).strip()
        match = self._TIME.match(text)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            day = japanese_dates.parse_date_ja(match["date"])
            moment = datetime.datetime.combine(day, datetime.time(int(match["h"]), int(match["m"])))
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return from_current_timezone(moment)

    def validate(self, value):
        super().validate(value)
        validation.validate_sane_datetime(value)


# --- the one department picker ----------------------------------------------------------


def department_tree_choices(queryset, *, bureau_label=None) -> list:
    """``queryset``'s departments in the order of the department tree: each bureau as a
    group (its own entry first, so that the bureau itself can be chosen), its divisions
    inside — as /departments/ shows them. Two queries whatever the size of the city.
    ``bureau_label`` (e.g. "%(bureau)s (whole bureau)") labels the bureau's own entry."""
    chosen = list(queryset.select_related("parent").order_by())
    bureaus = {d.parent_id for d in chosen if d.parent_id} | {
        d.pk for d in chosen if d.parent_id is None
    }
    order = {
        b.pk: i
        for i, b in enumerate(
            Department.objects.filter(pk__in=bureaus).order_by("sort_order", "id")
        )
    }
    groups: dict[int, list] = {}
    names: dict[int, str] = {}
    for d in sorted(chosen, key=lambda d: (d.sort_order, d.pk)):
        bureau_id = d.parent_id or d.pk
        names.setdefault(bureau_id, d.parent.name if d.parent_id else d.name)
        label = d.name
        if not d.parent_id and bureau_label:
            label = bureau_label % {"bureau": d.name}
        entry = (d.pk, label)
        groups.setdefault(bureau_id, [])
        if d.parent_id:
            groups[bureau_id].append(entry)
        else:
            groups[bureau_id].insert(0, entry)
    return [(names[b], groups[b]) for b in sorted(groups, key=lambda b: order.get(b, len(order)))]


class DepartmentTreeIterator(BaseChoiceIterator):
    """Lazy choices of a department field, grouped and ordered by the department tree."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from department_tree_choices(
            self.field.queryset, bureau_label=self.field.bureau_label
        )


class _DepartmentTreeMixin:
    iterator = DepartmentTreeIterator
    bureau_label = None


class DepartmentChoiceField(_DepartmentTreeMixin, forms.ModelChoiceField):
    """Choose one department (a bureau or a division) from the tree."""

    def __init__(self, *, queryset=None, bureau_label=None, **kwargs):
        queryset = queryset if queryset is not None else Department.objects.filter(is_active=True)
        self.bureau_label = bureau_label
        super().__init__(queryset=queryset, **kwargs)


#: The largest id any of the databases stores (a 64-bit signed integer).
ID_MAX = 2**63 - 1


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several objects by id, where an id beyond any database integer (99999999999999999999)
    is a form error like an id that is not offered (an ``id__in`` lookup with it fails in the
    database driver: SQLite cannot even bind it)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # not a number at all: the usual check says so
            if not -ID_MAX <= number <= ID_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class DepartmentMultipleChoiceField(_DepartmentTreeMixin, IdsMultipleChoiceField):
    """Choose several departments from the tree (checkboxes grouped by bureau by default)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, queryset=None, bureau_label=None, **kwargs):
        queryset = queryset if queryset is not None else Department.objects.filter(is_active=True)
        self.bureau_label = bureau_label
        super().__init__(queryset=queryset, **kwargs)


class MunicipalityForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = [
            "name",
            "name_kana",
            "code",
            "issuing_office",
            "hourly_labour_cost",
            "citizen_hour_value",
            "default_useful_life_years",
            "year_end_closure",
        ]


class BureauChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Department.objects.filter(parent__isnull=True, is_active=True),
            **kwargs,
        )


class DepartmentForm(forms.ModelForm):
    parent = BureauChoiceField(
        label=_("parent bureau"),
        required=False,
        help_text=_("Required for a division (課); leave empty for a bureau (部局)."),
    )

    class Meta:
        model = Department
        fields = ["name", "kind", "parent", "code", "sort_order"]


class DepartmentEditForm(DepartmentForm):
    class Meta(DepartmentForm.Meta):
        fields = [*DepartmentForm.Meta.fields, "is_active"]


class RolesForm(forms.Form):
    """City-wide roles as checkboxes; 推進員 chosen per bureau."""

    roles = forms.MultipleChoiceField(
        label=_("roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r not in DEPARTMENT_SCOPED_ROLES],
    )
    promoter_departments = IdsMultipleChoiceField(
        label=_("推進員 for these bureaus"),
        required=False,
        queryset=Department.objects.filter(parent__isnull=True, is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    @staticmethod
    def initial_for(user: User) -> dict:
        assignments = list(user.role_assignments.all())
        return {
            "roles": [a.role for a in assignments if a.role not in DEPARTMENT_SCOPED_ROLES],
            "promoter_departments": [
                a.department_id for a in assignments if a.role == Role.PROMOTER
            ],
        }

    def role_specs(self) -> list[tuple[str, Department | None]]:
        specs: list[tuple[str, Department | None]] = [(r, None) for r in self.cleaned_data["roles"]]
        specs += [(Role.PROMOTER, d) for d in self.cleaned_data["promoter_departments"]]
        return specs


class PersonForm(forms.ModelForm):
    department = DepartmentChoiceField(label=_("department"), required=False)

    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "full_name_kana",
            "email",
            "department",
            "title",
            "affiliation",
        ]


class PersonCreateForm(PersonForm, RolesForm):
    password1 = forms.CharField(
        label=_("initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to create the account without a password for now."),
    )
    password2 = forms.CharField(
        label=_("initial password (again)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name_kana", "email", "language"]


class OwnPasswordForm(PasswordChangeForm):
    """Validates like Django's form; the change itself goes through the service."""


class ResetPasswordForm(SetPasswordForm):
    """Validates like Django's form; the change itself goes through the service."""


class FiscalYearForm(forms.ModelForm):
    class Meta:
        model = FiscalYear
        fields = ["year", "note"]


class ClosedDayForm(forms.ModelForm):
    date = JapaneseDateField(label=_("date"))

    class Meta:
        model = ClosedDay
        fields = ["date", "name"]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    department = DepartmentChoiceField(
        label=_("department"), required=False, bureau_label=_("%(bureau)s (whole bureau)")
    )
    role = forms.ChoiceField(
        label=_("role"), required=False, choices=[("", _("all roles")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("1", _("active")), ("0", _("inactive")), ("all", _("all"))],
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("object or summary contains"), required=False)
    actor = forms.CharField(label=_("who (login ID)"), required=False)
    action = forms.ChoiceField(
        label=_("action"), required=False, choices=[("", _("all")), *AuditEvent.Action.choices]
    )
    target_type = forms.ChoiceField(label=_("object type"), required=False)
    target_id = forms.CharField(label=_("object ID"), required=False, max_length=40)
    since = JapaneseDateField(label=_("from"), required=False)
    until = JapaneseDateField(label=_("to"), required=False)

    def __init__(self, *args, target_types: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        from .links import object_type_label

        labelled = sorted(((t, object_type_label(t)) for t in target_types), key=lambda c: c[1])
        self.fields["target_type"].choices = [("", _("all")), *labelled]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


class PersonField(forms.CharField):
    """Choose a person by login ID or full name (a select of thousands would not do).

    A name shared by several people is refused with their login IDs listed."""

    default_error_messages = {
        "unknown": _("No active person has the login ID or name “%(value)s”."),
        "ambiguous": _("Several people are called “%(value)s”; give the login ID: %(ids)s"),
    }

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("help_text", _("Login ID or full name."))
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = "150"

    def prepare_value(self, value):
        if isinstance(value, User):
            return value.username
        return value

    def to_python(self, value):
        value = super().to_python(value).strip()[:150]
        if not value:
            return None
        qs = self.queryset if self.queryset is not None else User.objects.all()
        qs = qs.filter(is_active=True)
        by_login = qs.filter(username=value).first()
        if by_login:
            return by_login
        # Names are compared without spaces: 「佐藤 花子」 and 「佐藤花子」 are one person.
        compact = "".join(value.split())
        matches = list(
            qs.annotate(
                compact=Replace(
                    Replace("full_name", Value(" "), Value("")), Value("\u3000"), Value("")
                )
            ).filter(compact=compact)[:6]
        )
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"value": value, "ids": ", ".join(u.username for u in matches)},
            )
        return matches[0]


class NotificationSettingsForm(forms.Form):
    """One choice per registered kind of notification."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import NotificationSetting
        from .notifications import channels_for, kinds

        self.kinds = [k for k in kinds() if k.key != "core.digest"]
        current = {k.key: channels_for([user], k.key)[user.pk] for k in self.kinds}
        for kind in self.kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationSetting.Channel.choices,
                initial=current[kind.key],
                widget=forms.RadioSelect,
            )


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("HR file (CSV or Excel)"),
        help_text=_("CSV in UTF-8 (with or without BOM) or Shift_JIS, or .xlsx; 5 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    effective = JapaneseDateField(
        label=_("effective date (発令日)"), help_text=_("e.g. 令和8年4月1日")
    )
