"""Password rules beyond Django's own validators."""

from __future__ import annotations

import re

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# One piece of up to four characters, repeated.
REPEATED = re.compile(r"(.{1,4})\1+", re.DOTALL)


class MaximumLengthValidator:
    """A ceiling, so that hashing a password can never be made to take long."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "The password is too long: at most %(max)d character.",
                    "The password is too long: at most %(max)d characters.",
                    self.max_length,
                )
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("At most %(max)d characters.") % {"max": self.max_length}


class RepetitionValidator:
    """Refuses passwords of a few characters repeated ("abcabcabcabc", "aaaa1111").

    They pass a length rule but are among the first an attacker tries, like
    those in Django's list of common passwords.
    """

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        text = password.lower()
        if REPEATED.fullmatch(text) or len(set(text)) < 5:
            raise ValidationError(
                _("The password repeats the same few characters."),
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Not the same few characters over and over.")
