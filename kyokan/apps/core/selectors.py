"""Reads of the core app. Lists return querysets with their relations loaded, so that a
page's query count does not grow with the number of rows."""

from datetime import date, datetime, time

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from . import japanese_dates
from .models import (
    AuditEvent,
    ClosedDay,
    Department,
    FiscalYear,
    Municipality,
    RoleAssignment,
    User,
)


def paginate(request, queryset, *, per_page: int | None = None) -> Page:
    from django.conf import settings

    paginator = Paginator(queryset, per_page or settings.KYOKAN_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def municipality_get() -> Municipality | None:
    return Municipality.objects.first()


# --- people ---------------------------------------------------------------------------


def _with_roles(queryset: QuerySet[User]) -> QuerySet[User]:
    return queryset.select_related("department", "department__parent").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("department").order_by("role", "id"),
        )
    )


def people_list(
    *, q: str = "", department: Department | None = None, role: str = "", active: str = "1"
) -> QuerySet[User]:
    # An API system account's person record (never logs in) is not a person of the city:
    # the accounts have their own page (api:accounts).
    qs = User.objects.filter(api_account__isnull=True)
    if active in {"1", "0"}:
        qs = qs.filter(is_active=active == "1")
    if q:
        qs = qs.filter(
            Q(full_name__icontains=q)
            | Q(full_name_kana__icontains=q)
            | Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(affiliation__icontains=q)
        )
    if department is not None:
        qs = qs.filter(Q(department=department) | Q(department__parent=department))
    if role:
        qs = qs.filter(role_assignments__role=role).distinct()
    return _with_roles(qs).order_by("full_name_kana", "id")


def person_get(pk: int) -> User:
    return _with_roles(User.objects.all()).get(pk=pk)


def people_count() -> int:
    return User.objects.filter(is_active=True).count()


def role_counts() -> list[tuple[str, int]]:
    """(role, number of active people holding it), for the dashboard."""
    rows = (
        RoleAssignment.objects.filter(user__is_active=True)
        .values("role")
        .annotate(n=Count("user", distinct=True))
    )
    return [(r["role"], r["n"]) for r in rows]


# --- departments ----------------------------------------------------------------------


def bureaus_with_divisions(*, include_inactive: bool = False) -> QuerySet[Department]:
    """Bureaus (部局) with their divisions (課) and member counts: two queries in all."""
    divisions = Department.objects.annotate(member_count=Count("members", distinct=True))
    bureaus = Department.objects.filter(parent__isnull=True)
    if not include_inactive:
        divisions = divisions.filter(is_active=True)
        bureaus = bureaus.filter(is_active=True)
    return (
        bureaus.annotate(
            member_count=Count("members", distinct=True),
            division_count=Count("children", distinct=True),
        )
        .prefetch_related(Prefetch("children", queryset=divisions.order_by("sort_order", "id")))
        .order_by("sort_order", "id")
    )


def department_get(pk: int) -> Department:
    return Department.objects.select_related("parent").get(pk=pk)


def department_members(department: Department) -> QuerySet[User]:
    return _with_roles(
        User.objects.filter(Q(department=department) | Q(department__parent=department))
    ).order_by("full_name_kana", "id")


def department_counts() -> dict[str, int]:
    rows = Department.objects.filter(is_active=True).values("kind").annotate(n=Count("id"))
    counts = {r["kind"]: r["n"] for r in rows}
    return {
        "bureaus": counts.get(Department.Kind.BUREAU, 0),
        "divisions": counts.get(Department.Kind.DIVISION, 0),
    }


def department_choices() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).select_related("parent")


# --- calendar -------------------------------------------------------------------------


def closed_days_map(start: date, end: date) -> dict[date, str]:
    return dict(ClosedDay.objects.filter(date__range=(start, end)).values_list("date", "name"))


def fiscal_year_calendar(fiscal_year: FiscalYear, municipality: Municipality | None) -> dict:
    start, end = japanese_dates.fiscal_year_range(fiscal_year.year)
    extra = closed_days_map(start, end)
    year_end = municipality.year_end_closure if municipality else True
    return {
        "start": start,
        "end": end,
        "business_days": japanese_dates.business_days(
            start, end, extra_closed=extra, year_end_closure=year_end
        ),
        "closed_days": japanese_dates.closed_days_in_range(
            start, end, extra_closed=extra, year_end_closure=year_end
        ),
        "city_closed_days": ClosedDay.objects.filter(date__range=(start, end)),
    }


def current_fiscal_year() -> int:
    return japanese_dates.fiscal_year_of(timezone.localdate())


# --- audit ----------------------------------------------------------------------------


def audit_events(
    *,
    actor: User | None = None,
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    q: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if actor is not None:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if q:
        qs = qs.filter(Q(target_repr__icontains=q) | Q(summary__icontains=q))
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(created_at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs.order_by("-id")


def audit_target_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    )


def recent_audit_events(limit: int = 10) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.order_by("-id")[:limit]


# --- notifications ----------------------------------------------------------------------


def notifications_for(user):
    """The person's notifications, unread first, newest first."""
    from django.db.models import BooleanField, Case, When

    from .models import Notification

    return (
        Notification.objects.filter(recipient=user)
        .annotate(
            unread=Case(
                When(read_at__isnull=True, then=True), default=False, output_field=BooleanField()
            )
        )
        .order_by("-unread", "-created_at", "-id")
    )


def outbox(*, status: str):
    from .models import OutgoingEmail

    qs = OutgoingEmail.objects.select_related("recipient").defer("body", "attachments")
    if status in OutgoingEmail.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def staff_imports():
    from .models import StaffImport

    return StaffImport.objects.select_related("created_by").defer("content")
