"""The kinds of identifier the guard finds, how it names them, and a match."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dilemmas import guard_names

SE_PERSONAL_NUMBER = "se_personal_number"
SE_COORDINATION_NUMBER = "se_coordination_number"
DK_CPR = "dk_cpr"
BIRTH_DIGITS = "birth_date_with_digits"
PHONE = "phone"
EMAIL = "email"
ADDRESS = guard_names.ADDRESS
NAME = guard_names.NAME

LABELS = {
    SE_PERSONAL_NUMBER: _("Swedish personal identity number"),
    SE_COORDINATION_NUMBER: _("Swedish co-ordination number"),
    DK_CPR: _("Danish CPR number"),
    BIRTH_DIGITS: _("date of birth with the last four digits"),
    PHONE: _("phone number"),
    EMAIL: _("e-mail address"),
    ADDRESS: _("street address"),
    NAME: _("personal name"),
}

# One sentence per kind, so that translators can get article and gender right.
SENTENCES = {
    SE_PERSONAL_NUMBER: _("A Swedish personal identity number at %(place)s."),
    SE_COORDINATION_NUMBER: _("A Swedish co-ordination number at %(place)s."),
    DK_CPR: _("A Danish CPR number at %(place)s."),
    BIRTH_DIGITS: _(
        "A date of birth with the last four digits of a personal number at %(place)s."
    ),
    PHONE: _("A phone number at %(place)s."),
    EMAIL: _("An e-mail address at %(place)s."),
    ADDRESS: _("A street address at %(place)s."),
    NAME: _("A personal name at %(place)s."),
}

# When two matches overlap, the more specific one is kept: a number with a
# date and a check digit says more than one with a date only, anything that is
# a personal number is reported as that rather than as a phone number, and a
# street named after someone is reported as the address it is.
RANK = {
    SE_PERSONAL_NUMBER: 6,
    SE_COORDINATION_NUMBER: 6,
    DK_CPR: 5,
    # The date and the digits together say as much as the number itself.
    BIRTH_DIGITS: 5,
    EMAIL: 4,
    PHONE: 3,
    ADDRESS: 2,
    NAME: 1,
}


@dataclass(frozen=True)
class IdentifierMatch:
    """Where an identifier is in a text; deliberately not what it is."""

    kind: str
    start: int
    end: int
    label: str | Promise = field(compare=False)
