"""One-time form tokens: a form that creates something is submitted once, however often it
is sent (a double click, a reload, a slow network that makes people click again).

- the form carries a hidden field with a random token (:class:`OnceField`, from
  :func:`new_token`);
- the creating service calls :func:`claim` first, inside its transaction: the token is
  inserted into a table with a unique key, so of two concurrent submissions exactly one
  goes on; the other waits for the first to commit and gets :class:`AlreadySubmitted`
  with the first one's result URL (recorded by :func:`done`);
- the view catches :class:`AlreadySubmitted` and redirects there.

Nothing here is specific to surveys (meant to move to core for every creating form).
"""

import datetime as dt
import secrets

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FormSubmission

KEEP = dt.timedelta(days=2)


class AlreadySubmitted(Exception):
    def __init__(self, result_url: str):
        super().__init__(result_url)
        self.result_url = result_url


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OnceField(forms.CharField):
    """The hidden one-time token; a new token each time the form is first shown."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        if not form.is_bound and not form.initial.get(field_name):
            form.initial[field_name] = new_token()
        return super().get_bound_field(form, field_name)


def claim(*, actor, token: str | None) -> FormSubmission | None:
    """Use ``token`` (call inside the service's transaction). None when no token was sent
    (e.g. a service called from code); AlreadySubmitted when it was used before."""
    if not token:
        return None
    FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(key=token[:64], user=actor)
    except IntegrityError:
        first = FormSubmission.objects.filter(key=token[:64]).first()
        raise AlreadySubmitted(first.result_url if first else "") from None


def done(claimed: FormSubmission | None, result_url: str) -> None:
    """Record where the first submission led (for the repeated ones)."""
    if claimed is not None:
        FormSubmission.objects.filter(pk=claimed.pk).update(result_url=result_url[:300])
