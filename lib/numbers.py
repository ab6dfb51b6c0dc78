"""Numbers as the page's language writes them, rounded as people round.

Django's `number_format` cuts a float's decimals rather than rounding them
(3.67 with one decimal becomes "3.6"), and Python's `round` rounds half to
even on binary floats (round(2.675, 2) is 2.67). Figures shown to people go
through `number_text`: half away from zero on the decimal the value prints as.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats


def rounded(value: float | int | Decimal, places: int = 0) -> Decimal:
    """The value rounded half away from zero to `places` decimals."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number_text(value: float | int | Decimal, places: int = 0) -> str:
    """The value rounded to `places` decimals, in the active language's format."""
    return formats.number_format(rounded(value, places), places)
