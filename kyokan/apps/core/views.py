"""Views of the core app: thin — permission, form, one service call, render."""

import json

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import exports, japanese_dates, notifications, selectors, services
from .access import login_redirect, public, require
from .dashboard import panels_for
from .forms import (
    AuditFilterForm,
    ClosedDayForm,
    DepartmentEditForm,
    DepartmentForm,
    FiscalYearForm,
    MunicipalityForm,
    NotificationSettingsForm,
    OwnPasswordForm,
    PeopleFilterForm,
    PersonCreateForm,
    PersonForm,
    ProfileForm,
    ResetPasswordForm,
    RolesForm,
)
from .links import object_type_label
from .models import AuditEvent, ClosedDay, Department, FiscalYear, User
from .viewkit import act as _act
from .viewkit import confirm_page as _confirm_page
from .viewkit import confirmed as _confirmed
from .viewkit import submit as _submit

# --- session and shell ----------------------------------------------------------------


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class LoginView(auth_views.LoginView):
    kyokan_access = "public"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.session_login_record(user=form.get_user())
        return response


@public
@require_POST
def logout(request):
    if request.user.is_authenticated:
        services.session_logout_record(user=request.user)
    return auth_views.LogoutView.as_view()(request)


@public
def home(request):
    """The site's front page: the dashboard for people signed in; anonymous visitors go to
    ``settings.KYOKAN_ANONYMOUS_HOME`` (the citizen portal) when it is set, else to the
    login page."""
    if not request.user.is_authenticated:
        target = getattr(settings, "KYOKAN_ANONYMOUS_HOME", "")
        return redirect(target) if target else login_redirect(request)
    return _dashboard(request)


@require("core.use_app")
def _dashboard(request):
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


# --- profile --------------------------------------------------------------------------


@require("core.use_app")
def profile(request):
    return render(request, "core/profile.html", {"person": selectors.person_get(request.user.pk)})


@require("core.use_app")
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    return _submit(
        request,
        form,
        save=lambda data: services.user_update(actor=request.user, user=request.user, **data),
        success=_("Your profile was saved."),
        next_url=lambda _r: reverse("core:profile"),
        title=_("Edit your profile"),
        cancel_url=reverse("core:profile"),
    )


@require("core.use_app")
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = OwnPasswordForm(request.user, request.POST or None)

    def save(data):
        services.user_set_password(
            actor=request.user, user=request.user, password=data["new_password1"]
        )
        update_session_auth_hash(request, request.user)

    return _submit(
        request,
        form,
        save=save,
        success=_("Your password was changed."),
        next_url=lambda _r: reverse("core:profile"),
        title=_("Change your password"),
        cancel_url=reverse("core:profile"),
    )


# --- people ---------------------------------------------------------------------------


@require("core.view_people")
def people(request):
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.people_list(
        q=filters.get("q", ""),
        department=filters.get("department"),
        role=filters.get("role", ""),
        active=filters.get("active") or "1",
    )
    return render(
        request,
        "core/partials/people_table.html" if request.htmx else "core/people.html",
        {
            "form": form,
            "page": selectors.paginate(request, qs),
            "results_id": "people-results",
            "empty_message": _("No person matches these filters."),
        },
    )


def _person(pk: int, **_kwargs) -> User:
    return get_object_or_404(User, pk=pk)


def _person_url(person: User) -> str:
    return reverse("core:person_detail", args=[person.pk])


@require("core.view_person", obj=_person)
def person_detail(request, pk: int, obj: User):
    return render(request, "core/person_detail.html", {"person": selectors.person_get(pk)})


@require("core.manage_people")
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonCreateForm(request.POST or None)

    def save(data):
        return services.user_create(
            actor=request.user,
            password=data["password1"] or None,
            roles=form.role_specs(),
            **{k: v for k, v in data.items() if k in PersonForm.Meta.fields},
        )

    return _submit(
        request,
        form,
        save=save,
        success=_("The person was registered."),
        next_url=_person_url,
        title=_("Register a person"),
        cancel_url=reverse("core:people"),
    )


@require("core.manage_people", obj=_person)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int, obj: User):
    return _submit(
        request,
        PersonForm(request.POST or None, instance=obj),
        save=lambda data: services.user_update(actor=request.user, user=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: _person_url(obj),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=_person_url(obj),
    )


@require("core.manage_people", obj=_person)
@require_http_methods(["GET", "POST"])
def person_roles(request, pk: int, obj: User):
    form = RolesForm(request.POST or None, initial=RolesForm.initial_for(obj))
    return _submit(
        request,
        form,
        save=lambda _data: services.user_set_roles(
            actor=request.user, user=obj, roles=form.role_specs()
        ),
        success=_("The roles were saved."),
        next_url=lambda _r: _person_url(obj),
        title=_("Roles of %(name)s") % {"name": obj},
        intro=_("A promoter (推進員) is chosen per bureau; every other role is city-wide."),
        cancel_url=_person_url(obj),
    )


@require("core.manage_people", obj=_person)
@require_http_methods(["GET", "POST"])
def person_active(request, pk: int, obj: User):
    """GET asks for confirmation; POST deactivates or reactivates the account."""
    if request.method == "POST":
        return _act(
            request,
            lambda: services.user_set_active(
                actor=request.user, user=obj, active=request.POST.get("active") == "1"
            ),
            success=_("The account status was changed."),
            next_url=_person_url(obj),
            error_url=_person_url(obj),
        )
    deactivating = obj.is_active
    return _confirm_page(
        request,
        title=(_("Deactivate %(name)s") if deactivating else _("Reactivate %(name)s"))
        % {"name": obj},
        message=_("The person can no longer log in. Their records and history are kept.")
        if deactivating
        else _("The person can log in again with their password."),
        submit_label=_("Deactivate") if deactivating else _("Reactivate"),
        danger=deactivating,
        hidden={"active": "0" if deactivating else "1"},
        cancel_url=_person_url(obj),
    )


@require("core.manage_people", obj=_person)
@require_http_methods(["GET", "POST"])
def person_password(request, pk: int, obj: User):
    return _submit(
        request,
        ResetPasswordForm(obj, request.POST or None),
        save=lambda data: services.user_set_password(
            actor=request.user, user=obj, password=data["new_password1"]
        ),
        success=_("The password was set."),
        next_url=lambda _r: _person_url(obj),
        title=_("Set a password for %(name)s") % {"name": obj},
        intro=_("Tell the person the new password in person; it is not shown again."),
        cancel_url=_person_url(obj),
    )


# --- departments ----------------------------------------------------------------------


def _department(pk: int, **_kwargs) -> Department:
    return get_object_or_404(Department.objects.select_related("parent"), pk=pk)


def _department_url(department: Department) -> str:
    return reverse("core:department_detail", args=[department.pk])


@require("core.view_departments")
def departments(request):
    show_inactive = request.GET.get("inactive") == "1"
    qs = selectors.bureaus_with_divisions(include_inactive=show_inactive)
    return render(
        request,
        "core/departments.html",
        {"page": selectors.paginate(request, qs, per_page=10), "show_inactive": show_inactive},
    )


@require("core.view_departments", obj=_department)
def department_detail(request, pk: int, obj: Department):
    members = selectors.paginate(request, selectors.department_members(obj))
    divisions = obj.children.order_by("sort_order", "id")
    return render(
        request,
        "core/partials/people_table.html" if request.htmx else "core/department_detail.html",
        {
            "department": obj,
            "page": members,
            "divisions": divisions,
            "results_id": "department-people",
            "empty_message": _("Nobody belongs to this department yet."),
        },
    )


@require("core.manage_departments")
@require_http_methods(["GET", "POST"])
def department_create(request):
    initial = {}
    if parent := request.GET.get("parent"):
        initial = {"parent": parent, "kind": Department.Kind.DIVISION}
    return _submit(
        request,
        DepartmentForm(request.POST or None, initial=initial),
        save=lambda data: services.department_create(actor=request.user, **data),
        success=_("The department was created."),
        next_url=_department_url,
        title=_("New department"),
        cancel_url=reverse("core:departments"),
    )


@require("core.manage_departments", obj=_department)
@require_http_methods(["GET", "POST"])
def department_edit(request, pk: int, obj: Department):
    return _submit(
        request,
        DepartmentEditForm(request.POST or None, instance=obj),
        save=lambda data: services.department_update(actor=request.user, department=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: _department_url(obj),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=_department_url(obj),
    )


@require("core.manage_departments", obj=_department)
@require_http_methods(["GET", "POST"])
def department_delete(request, pk: int, obj: Department):
    if request.method == "POST":
        return _act(
            request,
            lambda: services.department_delete(actor=request.user, department=obj),
            success=_("The department was deleted."),
            next_url=reverse("core:departments"),
            error_url=_department_url(obj),
        )
    return _confirm_page(
        request,
        title=_("Delete %(name)s") % {"name": obj},
        message=_("This cannot be undone. Only an empty department can be deleted."),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=_department_url(obj),
    )


# --- municipality ---------------------------------------------------------------------


@require("core.view_municipality")
def municipality(request):
    return render(request, "core/municipality.html", {"city": selectors.municipality_get()})


@require("core.change_municipality")
@require_http_methods(["GET", "POST"])
def municipality_edit(request):
    city = selectors.municipality_get()

    def save(data):
        if city is None:
            return services.municipality_create(actor=request.user, **data)
        return services.municipality_update(actor=request.user, municipality=city, **data)

    return _submit(
        request,
        MunicipalityForm(request.POST or None, instance=city),
        save=save,
        success=_("The settings were saved."),
        next_url=lambda _r: reverse("core:municipality"),
        title=_("Municipality settings"),
        intro=_("The unit costs are used by every cost-against-value calculation."),
        cancel_url=reverse("core:municipality"),
    )


# --- calendar -------------------------------------------------------------------------


@require("core.view_calendar")
def fiscal_years(request):
    page = selectors.paginate(request, FiscalYear.objects.order_by("-year"))
    return render(
        request,
        "core/fiscal_years.html",
        {"page": page, "current_year": selectors.current_fiscal_year()},
    )


@require("core.view_calendar")
def fiscal_year_detail(request, year: int):
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    calendar = selectors.fiscal_year_calendar(fiscal_year, selectors.municipality_get())
    return render(request, "core/fiscal_year_detail.html", {"fiscal_year": fiscal_year, **calendar})


def _fiscal_year_url_of(day) -> str:
    return reverse("core:fiscal_year_detail", args=[japanese_dates.fiscal_year_of(day)])


@require("core.manage_calendar")
@require_http_methods(["GET", "POST"])
def fiscal_year_create(request):
    return _submit(
        request,
        FiscalYearForm(request.POST or None),
        save=lambda data: services.fiscal_year_create(actor=request.user, **data),
        success=_("The fiscal year was added."),
        next_url=lambda fy: reverse("core:fiscal_year_detail", args=[fy.year]),
        title=_("Add a fiscal year"),
        cancel_url=reverse("core:fiscal_years"),
    )


@require("core.manage_calendar")
@require_http_methods(["GET", "POST"])
def closed_day_create(request):
    return _submit(
        request,
        ClosedDayForm(request.POST or None),
        save=lambda data: services.closed_day_create(actor=request.user, **data),
        success=_("The closed day was added."),
        next_url=lambda day: _fiscal_year_url_of(day.date),
        title=_("Add a closed day"),
        intro=_("Weekends, national holidays and 29 December – 3 January are closed already."),
        cancel_url=reverse("core:fiscal_years"),
    )


@require("core.manage_calendar")
@require_http_methods(["GET", "POST"])
def closed_day_delete(request, pk: int):
    day = get_object_or_404(ClosedDay, pk=pk)
    if request.method == "POST":
        return _act(
            request,
            lambda: services.closed_day_delete(actor=request.user, closed_day=day),
            success=_("The closed day was removed."),
            next_url=_fiscal_year_url_of(day.date),
            error_url=_fiscal_year_url_of(day.date),
        )
    return _confirm_page(
        request,
        title=_("Remove the closed day %(day)s") % {"day": day},
        message=_("The day becomes an ordinary working day again."),
        submit_label=_("Remove"),
        danger=True,
        cancel_url=_fiscal_year_url_of(day.date),
    )


# --- audit trail ----------------------------------------------------------------------


def _audit_queryset(request):
    form = AuditFilterForm(request.GET or None, target_types=selectors.audit_target_types())
    filters = form.cleaned_data if form.is_valid() else {}
    actor = None
    if filters.get("actor"):
        actor = User.objects.filter(username=filters["actor"]).first()
        if actor is None:
            form.add_error("actor", _("No person has that login ID."))
            return form, AuditEvent.objects.none()
    qs = selectors.audit_events(
        actor=actor,
        action=filters.get("action", ""),
        target_type=filters.get("target_type", ""),
        target_id=filters.get("target_id", ""),
        q=filters.get("q", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, qs


@require("core.view_audit")
def audit(request):
    form, qs = _audit_queryset(request)
    return render(
        request,
        "core/partials/audit_results.html" if request.htmx else "core/audit.html",
        {"form": form, "page": selectors.paginate(request, qs)},
    )


@require("core.view_audit")
def audit_detail(request, pk: int):
    event = get_object_or_404(AuditEvent.objects.select_related("actor"), pk=pk)
    keys = sorted(set(event.before or {}) | set(event.after or {}))
    rows = [((k, (event.before or {}).get(k), (event.after or {}).get(k))) for k in keys]
    return render(request, "core/audit_detail.html", {"event": event, "rows": rows})


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@require("core.view_audit")
def audit_export(request):
    """The filtered trail as CSV, UTF-8 with BOM so that Excel opens it correctly."""
    _form, qs = _audit_queryset(request)
    header = [
        _("ID"),
        _("when"),
        _("who"),
        _("action"),
        _("object type"),
        _("object ID"),
        _("object"),
        _("summary"),
        _("before"),
        _("after"),
        _("hash"),
    ]
    actions = dict(AuditEvent.Action.choices)
    types: dict[str, str] = {}

    def type_label(key: str) -> str:
        if key not in types:
            types[key] = object_type_label(key) if key else ""
        return types[key]

    rows = (
        [
            e.pk,
            e.created_at,
            e.actor_name,
            str(actions.get(e.action, e.action)),
            type_label(e.target_type),
            e.target_id,
            e.target_repr,
            e.summary,
            _json(e.before),
            _json(e.after),
            e.hash,
        ]
        for e in qs.order_by("id").iterator(chunk_size=2000)
    )
    return exports.csv_response("audit.csv", header, rows)


# --- HR import --------------------------------------------------------------------------


@require("core.import_staff")
@require_http_methods(["GET", "POST"])
def staff_import(request):
    from django.shortcuts import redirect

    from . import hr
    from .forms import StaffImportForm

    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > hr.MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            try:
                record, _plan = hr.staff_import_preview(
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name,
                    effective=form.cleaned_data["effective"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("core:staff_import_detail", pk=record.pk)
    recent = selectors.staff_imports()[:10]
    return render(request, "core/staff_import.html", {"form": form, "recent": recent})


def _staff_import(pk: int, **_kwargs):
    from .models import StaffImport

    return get_object_or_404(StaffImport, pk=pk)


@require("core.import_staff", obj=_staff_import)
def staff_import_detail(request, pk: int, obj):
    from . import hr

    unreadable = []
    if obj.status == obj.Status.APPLIED:
        plan = hr.applied_plan(obj)
    else:
        try:
            plan = hr.staff_import_plan(
                hr.read_rows(bytes(obj.content), obj.filename), effective=obj.effective_on
            )
        except ValidationError as exc:
            plan, unreadable = None, exc.messages
    return render(
        request,
        "core/staff_import_detail.html",
        {
            "record": obj,
            "plan": plan,
            "groups": hr.groups(plan) if plan else {},
            "unreadable": unreadable,
            "can_apply": plan is not None
            and plan.ok
            and obj.status == obj.Status.PREVIEW
            and obj.effective_on <= timezone.localdate(),
        },
    )


@require("core.import_staff", obj=_staff_import)
@require_http_methods(["GET", "POST"])
def staff_import_apply(request, pk: int, obj):
    from . import hr

    return _confirmed(
        request,
        lambda: hr.staff_import_apply(actor=request.user, staff_import=obj),
        title=_("Apply the HR import?"),
        message=_(
            "Every change listed is made at once, effective %(date)s. People who leave "
            "can no longer log in; nothing is deleted."
        )
        % {"date": japanese_dates.wareki_date(obj.effective_on)},
        submit_label=_("Apply"),
        success=_("The HR import was applied."),
        back=reverse("core:staff_import_detail", args=[obj.pk]),
    )


# --- site search ------------------------------------------------------------------------


@require("core.use_app")
def site_search(request):
    from .search import MAX_QUERY
    from .search import site_search as search

    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    groups = search(request.user, query) if query else []
    return render(request, "core/search.html", {"query": query, "groups": groups})


# --- my work --------------------------------------------------------------------------


@require("core.use_app")
def my_work(request):
    from .mywork import work_for

    return render(request, "core/my_work.html", {"groups": work_for(request.user)})


# --- notifications ----------------------------------------------------------------------


@require("core.view_notifications")
def notification_list(request):
    qs = selectors.notifications_for(request.user)
    return render(
        request,
        "core/notifications.html",
        {
            "page": selectors.paginate(request, qs),
            "unread": notifications.unread_count(request.user),
        },
    )


@require("core.view_notifications")
@require_POST
def notification_read(request):
    """Mark one notification (``id``) or all of them read, then go back (or to its link)."""
    from django.shortcuts import redirect

    from .viewkit import safe_next

    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    notifications.notification_mark_read(user=request.user, ids=ids)
    return redirect(safe_next(request, request.POST.get("next"), reverse("core:notifications")))


@require("core.view_notifications")
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    return _submit(
        request,
        form,
        save=lambda data: notifications.notification_settings_save(
            actor=request.user, user=request.user, channels=data
        ),
        success=_("Your notification settings were saved."),
        next_url=lambda _r: reverse("core:notification_settings"),
        title=_("Notification settings"),
        cancel_url=reverse("core:notifications"),
        intro=_(
            "For each kind of notification, choose whether it only appears under the bell in "
            "Kyokan, is also sent to you by e-mail at once, or is gathered in one e-mail a day."
        ),
    )


@require("core.view_outbox")
def outbox(request):
    status = request.GET.get("status", "failed")
    qs = selectors.outbox(status=status)
    return render(
        request,
        "core/outbox.html",
        {"page": selectors.paginate(request, qs), "status": status},
    )


def _outgoing(pk: int, **_kwargs):
    from .models import OutgoingEmail

    return get_object_or_404(OutgoingEmail, pk=pk)


@require("core.view_outbox", obj=_outgoing)
@require_http_methods(["GET", "POST"])
def outbox_retry(request, pk: int, obj):
    return _confirmed(
        request,
        lambda: notifications.email_retry(actor=request.user, email=obj),
        title=_("Send this e-mail again?"),
        message=_("“%(subject)s” to %(to)s") % {"subject": obj.subject, "to": obj.to},
        submit_label=_("Send again"),
        success=_("The e-mail is queued again."),
        back=reverse("core:outbox"),
    )


# --- background exports -----------------------------------------------------------------


def _export(pk, **_kwargs):
    from .models import ExportJob

    return get_object_or_404(ExportJob, pk=pk)


@require("core.view_export", obj=_export)
def export_detail(request, pk, obj):
    return render(request, "core/export_detail.html", {"job": obj})


@require("core.view_export", obj=_export)
def export_progress(request, pk, obj):
    return render(request, "core/partials/export_progress.html", {"job": obj})


@require("core.view_export", obj=_export)
def export_download(request, pk, obj):
    from django.http import FileResponse, Http404

    from .office import content_disposition

    if obj.status != obj.Status.DONE or not obj.file:
        raise Http404
    response = FileResponse(obj.file.open("rb"), content_type=obj.content_type)
    response["Content-Disposition"] = content_disposition(obj.filename)
    return response


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
