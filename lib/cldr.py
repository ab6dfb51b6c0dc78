"""The Unicode CLDR's words for the active language, through Babel.

Django translates month names one by one; the CLDR gives each language's
abbreviations as a set, written the way that language writes them ("jan.",
"mars", "maj" in Swedish; "Jan", "Mar", "May" in English).
"""

from __future__ import annotations

import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from django.utils import translation


def locale(language: str | None = None) -> Locale:
    """The CLDR locale of `language`, or of the active language."""
    code = (language or translation.get_language() or "en").split("-")[0]
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def month_abbreviation(month: datetime.date, language: str | None = None) -> str:
    """The month's short name as it stands alone, on an axis or in a list."""
    return format_date(month, "LLL", locale=locale(language))
