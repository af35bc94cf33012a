"""The form and confirmation flows every app's views share.

``submit`` is the one form flow: on a valid POST it calls a service and redirects; a
service's ValidationError goes back onto the form with everything the user typed kept.
``act`` is a confirmed action without a form; ``confirm_page`` asks before it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, keeping what the user typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_page(
    request,
    form,
    *,
    title,
    cancel_url="",
    intro="",
    submit_label="",
    layout="base.html",
    renderer=render,
):
    """The one form page. ``layout`` is the template it extends and ``renderer`` renders it
    (the citizen portal passes its own layout and renderer, with the reading help)."""
    return renderer(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "intro": intro,
            "submit_label": submit_label,
            "layout": layout,
        },
    )


def submit(request, form, *, save, success, next_url, **page):
    """The one form flow: on a valid POST call ``save(cleaned_data)`` (a service), then
    redirect to ``next_url(result)``; a service's ValidationError goes back onto the form
    with everything the user typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return form_page(request, form, **page)


def act(request, action, *, success, next_url, error_url):
    """A confirmed action (POST without a form): a refusal is shown as a message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(error_url)
    messages.success(request, success)
    return redirect(next_url)


def confirmed(request, action, *, title, message, submit_label, success, back, danger=False):
    """A confirmed action on one page: GET asks (``confirm_page``), POST does it (``act``)
    and goes back to ``back`` with ``success`` or the service's refusal."""
    if request.method != "POST":
        return confirm_page(
            request,
            title=title,
            message=message,
            submit_label=submit_label,
            cancel_url=back,
            danger=danger,
        )
    return act(request, action, success=success, next_url=back, error_url=back)


def confirm_page(request, *, title, message, submit_label, cancel_url, danger=False, hidden=None):
    return render(
        request,
        "confirm_page.html",
        {
            "title": title,
            "message": message,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "danger": danger,
            "hidden": hidden or {},
        },
    )


def safe_next(request, value: str | None, default: str) -> str:
    """Where to go back to after a form: ``value`` when it is a path on this site
    (``/…``, not ``//host``), else ``default``. A bare word such as ``abc`` or ``999999``
    is refused too: ``redirect()`` would try it as a view name and fail with a server
    error."""
    from django.utils.http import url_has_allowed_host_and_scheme

    value = (value or "").strip()
    if (
        value.startswith("/")
        and not value.startswith("//")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default
