"""Creation forms that create once: a double click (or a resent POST) does not create a
second comment, meeting or paper.

The form carries a one-time key in a hidden field (:class:`OnceFormMixin`, a fresh key
each time the page is drawn). The service that creates uses it up, first thing in its
transaction (:func:`once_claim`, a row unique per person and key) and records what it
created (:func:`once_done`). A second POST with the same key cannot claim it: the
service raises :class:`AlreadySubmitted` with what the first POST created, and the view
(:func:`submit_once`) redirects there, as the first POST did. Concurrent POSTs are
serialised by the unique constraint: the second waits for the first and then fails to
claim. A POST without a key (an older page, a script) creates as before.

The mechanism lives in core so that every app uses one copy (documents and meetings today).
The table of used keys is still the documents app's ``SubmittedForm`` (core imports no app):
the app that owns it registers it with :func:`use_store` from its AppConfig.ready(), as
apps register panels and link types.
"""

import functools
import secrets
from datetime import timedelta

from django import forms
from django.apps import apps
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from . import viewkit

ONCE_FIELD = "once"
KEEP = timedelta(days=7)

_store: type[models.Model] | None = None


def use_store(model: type[models.Model]) -> None:
    """The model that keeps the used keys: fields ``user``, ``key`` (unique together),
    ``target_type``, ``target_id`` and ``created_at``."""
    global _store
    _store = model


def _keys() -> type[models.Model]:
    if _store is None:
        raise RuntimeError("No store for one-time form keys: call once.use_store() in ready().")
    return _store


def new_key() -> str:
    return secrets.token_urlsafe(24)


class OnceFormMixin:
    """Adds the hidden one-time key to a creation form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[ONCE_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64, initial=new_key
        )


class AlreadySubmitted(Exception):
    """The form was sent before; ``target`` is what that first POST created (None if it
    has been deleted since)."""

    def __init__(self, target: models.Model | None):
        super().__init__("form already submitted")
        self.target = target


def _target_of(claim) -> models.Model | None:
    if not claim.target_type:
        return None
    try:
        model = apps.get_model(claim.target_type)
    except LookupError:
        return None
    return model._default_manager.filter(pk=claim.target_id).first()


def once_claim(*, actor, key: str):
    """Use up ``key`` for ``actor`` inside the caller's transaction, or raise
    AlreadySubmitted. No key (or no logged-in actor): nothing to claim."""
    if not key or not getattr(actor, "is_authenticated", False):
        return None
    # A form is resent within seconds; a person's keys older than a week are let go.
    _keys().objects.filter(user=actor, created_at__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():
            return _keys().objects.create(user=actor, key=key[:64])
    except IntegrityError:
        existing = _keys().objects.filter(user=actor, key=key[:64]).first()
        raise AlreadySubmitted(_target_of(existing) if existing else None) from None


def once_done(claim, target: models.Model) -> None:
    """Record what the claimed form created (in the same transaction)."""
    if claim is None:
        return
    claim.target_type, claim.target_id = target._meta.label_lower, str(target.pk)
    claim.save(update_fields=["target_type", "target_id"])


def duplicate_message() -> str:
    return _("This form had already been sent; nothing was created twice.")


def once_used(request):
    """The claim of the key this POST carries, if an earlier POST used it up. Checked
    before the form is validated: the second POST of a form may no longer be valid (a
    title now taken — by the first)."""
    key = request.POST.get(ONCE_FIELD, "") if request.method == "POST" else ""
    if not key or not request.user.is_authenticated:
        return None
    return _keys().objects.filter(user=request.user, key=key[:64]).first()


def submit_once(request, form, *, save, success, next_url, **page):
    """``viewkit.submit`` for a creation form with :class:`OnceFormMixin`: a second POST of
    the same form goes where the first went."""
    used = once_used(request)
    if used is not None:
        return _already(request, _target_of(used), next_url)
    try:
        return viewkit.submit(request, form, save=save, success=success, next_url=next_url, **page)
    except AlreadySubmitted as done:
        return _already(request, done.target, next_url)


def _already(request, target, next_url):
    messages.info(request, duplicate_message())
    return redirect(request.path if target is None else next_url(target))


def creates_once(service):
    """A creation service that takes the form's key (``once=``): claimed first, then the
    service runs, then what it returned is recorded — all in one transaction. Without a
    key the service runs as before."""

    @functools.wraps(service)
    def wrapper(*args, once: str = "", **kwargs):
        with transaction.atomic():
            claim = once_claim(actor=kwargs.get("actor"), key=once)
            result = service(*args, **kwargs)
            once_done(claim, result)
            return result

    return wrapper
