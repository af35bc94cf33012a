"""A password validator Django does not have: the login ID with a few characters around it.

Django's UserAttributeSimilarityValidator compares whole strings, so "shokuin123456789"
passes for the login "shokuin". Here the letters of the password are compared with the
letters of the login ID (and of the e-mail's local part): a password whose letters are the
login's, give or take three, is refused.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_NOT_LETTERS = re.compile(r"[\W\d_]+")
MAX_EXTRA_LETTERS = 3


def _letters(text: str) -> str:
    return _NOT_LETTERS.sub("", text.casefold())


class LoginIdValidator:
    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        letters = _letters(password)
        for attribute in (
            getattr(user, "username", ""),
            (getattr(user, "email", "") or "").split("@")[0],
        ):
            own = _letters(attribute or "")
            if len(own) >= 3 and own in letters and len(letters) - len(own) <= MAX_EXTRA_LETTERS:
                raise ValidationError(
                    _("The password is too close to the login ID or e-mail address."),
                    code="password_like_login",
                )

    def get_help_text(self) -> str:
        return _("Your password cannot be your login ID with a few digits or symbols added.")
