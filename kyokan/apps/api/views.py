"""The system administrator's pages for the API's system accounts, and the API's JSON 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kyokan.apps.core.access import public, require
from kyokan.apps.core.viewkit import apply_service_errors, confirm_page, confirmed, form_page

from . import errors, selectors, services
from .forms import AccountForm
from .http import guarded
from .models import ApiAccount


def _account(*, user, pk, **_kwargs):
    return get_object_or_404(ApiAccount, pk=pk)


@require("api.manage_accounts")
def account_list(request):
    return render(
        request,
        "api/account_list.html",
        {"accounts": selectors.accounts_page(request.GET.get("page"))},
    )


@require("api.manage_accounts")
def account_create(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, token = services.account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # Shown once, in this response only: it is not stored anywhere.
            response = render(request, "api/token_once.html", {"account": account, "token": token})
            response["Cache-Control"] = "no-store"
            return response
    return form_page(
        request,
        form,
        title=_("New API system account"),
        intro=_(
            "The token is shown once, on the next page: copy it into the system that will "
            "use it. Kyokan keeps only its fingerprint."
        ),
        cancel_url=reverse("api:accounts"),
        submit_label=_("Create and show the token"),
    )


@require("api.manage_accounts", obj=_account)
def account_revoke(request, pk, obj):
    return confirmed(
        request,
        lambda: services.account_revoke(actor=request.user, account=obj),
        title=_("Revoke the token of %(name)s") % {"name": obj.name},
        message=_(
            "The system will no longer be able to write through the API. This cannot be undone."
        ),
        submit_label=_("Revoke"),
        success=_("The token was revoked."),
        back=reverse("api:accounts"),
        danger=True,
    )


@require("api.manage_accounts", obj=_account)
def account_rotate(request, pk, obj):
    if not obj.is_active:
        raise Http404
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Issue a new token for %(name)s") % {"name": obj.name},
            message=_("The current token stops working at once; the new one is shown once."),
            submit_label=_("Issue a new token"),
            cancel_url=reverse("api:accounts"),
        )
    token = services.account_token_rotate(actor=request.user, account=obj)
    response = render(request, "api/token_once.html", {"account": obj, "token": token})
    response["Cache-Control"] = "no-store"
    return response


@public
def _not_found(request, *args, **kwargs):
    return errors.not_found()


api_not_found = guarded(_not_found)
